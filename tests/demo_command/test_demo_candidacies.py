"""The demo command's candidacies: several states reached through real transitions."""

import io

from django.core import mail
from django.core.management import call_command

from demo.cohorts import EARLIER, GAVE_UP, LATER
from livret.eligibility.completeness import section_statuses
from livret.eligibility.precheck import precheck
from vae.enums import CandidacyState as S
from vae.models import Candidacy, CandidacyTransition


def test_demo_candidacies_in_several_states(referentiel):
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)  # idempotent
    states = sorted(Candidacy.objects.values_list("candidate__email", "state"))
    assert states == sorted(
        [
            ("candidat@demo.vae.local", S.DRAFT),
            ("nadia.haddad@demo.vae.local", S.ELIGIBILITY_SUBMITTED),
            ("julien.moreau@demo.vae.local", S.ELIGIBLE),
            ("lucie.perrin@demo.vae.local", S.INELIGIBLE),
            ("ines.lambert@demo.vae.local", S.DOSSIER_SUBMITTED),
            ("mathieu.roche@demo.vae.local", S.UNDER_REVIEW),
            ("sarah.benoit@demo.vae.local", S.REVIEWED),
            ("thomas.garnier@demo.vae.local", S.JURY_SCHEDULED),
            ("amina.diallo@demo.vae.local", S.JURY_SCHEDULED),
            ("elise.marchand@demo.vae.local", S.INTERVIEWED),
            ("hugo.lefevre@demo.vae.local", S.DECIDED),
            ("romain.petit@demo.vae.local", S.DECIDED),
            # A validation partielle, then the candidacy for the bloc still missing.
            ("leila.mercier@demo.vae.local", S.DECIDED),
            ("leila.mercier@demo.vae.local", S.DRAFT),
            # The promotions' history (demo.cohorts): all decided, in the past.
            *((story.email, S.DECIDED) for story in (*EARLIER, *LATER)),
            # and those who gave up.
            *((story.email, S.WITHDRAWN) for story in GAVE_UP),
        ]
    )
    assert "nadia.haddad@demo.vae.local" in out.getvalue()
    assert "Recevable" in out.getvalue()
    # The history is that of real transitions, each with its actor.
    julien = Candidacy.objects.get(candidate__email="julien.moreau@demo.vae.local")
    assert list(julien.transitions.values_list("transition", flat=True)) == [
        "submit_eligibility",
        "return_eligibility",
        "submit_eligibility",
        "accept_eligibility",
    ]
    assert julien.transitions.get(transition="return_eligibility").comment
    assert [b.code for b in julien.targeted_blocs.all()] == ["BC1", "BC2"]  # BC3 acquired
    ines = Candidacy.objects.get(candidate__email="ines.lambert@demo.vae.local")
    assert list(ines.transitions.values_list("transition", flat=True)) == [
        "submit_eligibility",
        "accept_eligibility",
        "submit_dossier",
    ]
    review_rows = CandidacyTransition.objects.filter(
        candidacy__candidate__email__in=[
            "mathieu.roche@demo.vae.local",
            "sarah.benoit@demo.vae.local",
            "thomas.garnier@demo.vae.local",
            "amina.diallo@demo.vae.local",
            "elise.marchand@demo.vae.local",
            "hugo.lefevre@demo.vae.local",
            "leila.mercier@demo.vae.local",
            "romain.petit@demo.vae.local",
            # The promotions' history (demo.cohorts).
            *(story.email for story in (*EARLIER, *LATER, *GAVE_UP)),
        ]
    ).count()
    assert CandidacyTransition.objects.count() - review_rows == 1 + 4 + 2 + 3
    sarah = Candidacy.objects.get(candidate__email="sarah.benoit@demo.vae.local")
    assert list(sarah.transitions.values_list("transition", flat=True))[-2:] == [
        "start_review",
        "complete_review",
    ]
    assert mail.outbox == []  # no e-mail to fictional people


def test_demo_livrets_are_consistent_with_their_state(referentiel):
    call_command("demo", stdout=io.StringIO())
    for candidacy in Candidacy.objects.exclude(state=S.DRAFT):
        assert all(s.complete for s in section_statuses(candidacy.eligibility_request))
    for draft in Candidacy.objects.filter(state=S.DRAFT):  # the demo candidate's, Leïla's next
        assert not all(s.complete for s in section_statuses(draft.eligibility_request))
    rejected = Candidacy.objects.get(state=S.INELIGIBLE)
    assert not precheck(rejected.eligibility_request).met
    accepted = Candidacy.objects.get(state=S.ELIGIBLE)
    assert precheck(accepted.eligibility_request).met
