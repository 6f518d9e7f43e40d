"""livret.dossier.narratives: stale versions never overwrite, nothing typed is lost, history is
coalesced as designed, restore keeps the current text, text is sanitised and capped."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from livret.dossier.narratives import services as narratives
from livret.dossier.narratives.selectors import find_activity, history, narrative_rows
from livret.dossier.narratives.services import (
    REVISION_INTERVAL,
    NarrativeConflict,
    restore_revision,
    save_narrative,
)
from livret.dossier.narratives.text import NARRATIVE_MAX_CHARS, clean_text, difference
from livret.dossier.services import dossier_for
from livret.enums import RevisionReason
from livret.models import Narrative, NarrativeRevision
from referentiel.models import Activity
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import CandidacyState, Role
from vae.workflow import TransitionForbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")


@pytest.fixture
def dossier(candidacy):
    return dossier_for(candidacy)


@pytest.fixture
def activity(candidacy):
    return candidacy.referentiel_tree()[0].activities.all()[0]


def reasons(narrative):
    return list(narrative.revisions.order_by("pk").values_list("reason", "text"))


def age_revisions(narrative, by=REVISION_INTERVAL + timedelta(seconds=1)):
    """Pretend every kept revision of ``narrative`` is older than it is."""
    for revision in narrative.revisions.all():
        NarrativeRevision.objects.filter(pk=revision.pk).update(created_at=revision.created_at - by)


def sign(dossier):
    dossier.sworn_name, dossier.sworn_place = "Léa Martin", "Paris"
    dossier.sworn_at = timezone.now()
    dossier.save()


# -- stale versions ----------------------------------------------------------------------------


def test_first_save_creates_the_narrative_at_version_1(candidacy, dossier, activity):
    saved = save_narrative((dossier, activity), candidacy.candidate, "Premier jet", 0)
    narrative = Narrative.objects.get(dossier=dossier, activity=activity)
    assert (saved.changed, narrative.text, narrative.version) == (True, "Premier jet", 1)
    assert narrative.updated_by == candidacy.candidate
    # Nothing was there before: no revision of an empty text.
    assert reasons(narrative) == []


def test_second_tab_with_a_stale_version_gets_a_conflict_and_loses_nothing(
    candidacy, dossier, activity
):
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Version de départ", 0)
    # Two tabs open the editor: both read version 1.
    base = Narrative.objects.get(dossier=dossier, activity=activity).version
    save_narrative((dossier, activity), user, "Texte du premier onglet", base)

    with pytest.raises(NarrativeConflict) as raised:
        save_narrative((dossier, activity), user, "Texte du second onglet", base)

    conflict = raised.value
    assert conflict.mine == "Texte du second onglet"
    assert conflict.base_version == base
    assert (conflict.theirs_text, conflict.theirs_version) == ("Texte du premier onglet", 2)
    assert "autre onglet" in conflict.message
    narrative = Narrative.objects.get(dossier=dossier, activity=activity)
    assert (narrative.text, narrative.version) == ("Texte du premier onglet", 2)
    # The refused text is kept, committed, as a conflict revision based on version 1.
    kept = narrative.revisions.get(reason=RevisionReason.CONFLICT)
    assert (kept.text, kept.version, kept.created_by) == ("Texte du second onglet", base, user)
    assert conflict.revision == kept


def test_keeping_mine_after_a_conflict_keeps_the_other_text_too(candidacy, dossier, activity):
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Commun", 0)
    save_narrative((dossier, activity), user, "Onglet A", 1)
    with pytest.raises(NarrativeConflict) as raised:
        save_narrative((dossier, activity), user, "Onglet B", 1)

    saved = save_narrative(
        (dossier, activity), user, "Onglet B", raised.value.theirs_version, resolving=True
    )

    narrative = saved.narrative
    assert (narrative.text, narrative.version) == ("Onglet B", 3)
    conflict_texts = set(
        narrative.revisions.filter(reason=RevisionReason.CONFLICT).values_list("text", flat=True)
    )
    assert conflict_texts == {"Onglet A", "Onglet B"}


def test_the_compare_and_set_happens_in_the_database(candidacy, dossier, activity, monkeypatch):
    """Even if the row read under the lock were stale, the UPDATE … WHERE version = base
    writes nothing and the save turns into a conflict."""
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Version 1", 0)
    stale = Narrative.objects.get(dossier=dossier, activity=activity)
    Narrative.objects.filter(pk=stale.pk).update(text="Écrit par ailleurs", version=2)
    monkeypatch.setattr(narratives, "_locked_narrative", lambda dossier, activity: stale)

    with pytest.raises(NarrativeConflict) as raised:
        save_narrative((dossier, activity), user, "Mon texte", 1)

    assert (raised.value.theirs_text, raised.value.theirs_version) == ("Écrit par ailleurs", 2)
    narrative = Narrative.objects.get(pk=stale.pk)
    assert (narrative.text, narrative.version) == ("Écrit par ailleurs", 2)
    assert narrative.revisions.get(reason=RevisionReason.CONFLICT).text == "Mon texte"


def test_saving_the_stored_text_again_is_not_a_conflict(candidacy, dossier, activity):
    """The retry of a save whose answer was lost states the old version: nothing to do."""
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Texte envoyé", 0)

    saved = save_narrative((dossier, activity), user, "Texte envoyé", 0)

    assert saved.changed is False
    assert saved.narrative.version == 1
    assert NarrativeRevision.objects.count() == 0


def test_empty_save_of_a_missing_narrative_creates_nothing(candidacy, dossier, activity):
    saved = save_narrative((dossier, activity), candidacy.candidate, "", 0)
    assert saved.changed is False
    assert not Narrative.objects.exists()


def test_save_accepts_a_narrative_as_target(candidacy, dossier, activity):
    save_narrative((dossier, activity), candidacy.candidate, "Un", 0)
    narrative = Narrative.objects.get()
    saved = save_narrative(narrative, candidacy.candidate, "Deux", 1)
    assert (saved.narrative.text, Narrative.objects.get().version) == ("Deux", 2)


# -- history -----------------------------------------------------------------------------------


def test_autosaves_are_coalesced_into_few_revisions(candidacy, dossier, activity):
    user = candidacy.candidate
    texts = ["Sur le tournage", "Sur le tournage de", "Sur le tournage de « Nuit »"]
    for version, text in enumerate(texts):
        save_narrative((dossier, activity), user, text, version)
    narrative = Narrative.objects.get()
    # The first replaced text is kept; the following saves, minutes apart at most, are not.
    assert reasons(narrative) == [(RevisionReason.EDIT, "Sur le tournage")]
    assert narrative.version == 3

    # Ten minutes later, the text being replaced is kept again.
    age_revisions(narrative)
    save_narrative((dossier, activity), user, texts[-1] + " j'ai", 3)
    assert reasons(narrative) == [
        (RevisionReason.EDIT, "Sur le tournage"),
        (RevisionReason.EDIT, texts[-1]),
    ]
    assert narrative.revisions.order_by("pk").last().version == 3


def test_a_large_cut_keeps_the_previous_text_even_within_the_interval(candidacy, dossier, activity):
    user = candidacy.candidate
    long_text = "Paie des intermittents et DSN. " * 20
    save_narrative((dossier, activity), user, "Début", 0)
    save_narrative((dossier, activity), user, long_text, 1)  # keeps « Début »
    save_narrative((dossier, activity), user, "", 2)  # select all, delete, by mistake

    assert [text for _reason, text in reasons(Narrative.objects.get())] == ["Début", long_text]


def test_restore_keeps_the_current_text_and_unsigns(candidacy, dossier, activity):
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Ancien", 0)
    save_narrative((dossier, activity), user, "Actuel", 1)  # keeps « Ancien »
    old = NarrativeRevision.objects.get(text="Ancien")
    sign(dossier)

    restored = restore_revision(old, user)

    narrative = Narrative.objects.get()
    assert (narrative.text, narrative.version) == ("Ancien", 3)
    assert restored.changed and restored.unsigned
    assert restored.revision.reason == RevisionReason.RESTORE
    assert restored.revision.text == "Actuel"
    dossier.refresh_from_db()
    assert not dossier.is_signed
    # Restoring what is already current changes nothing.
    again = restore_revision(old, user)
    assert again.changed is False
    assert Narrative.objects.get().version == 3


def test_history_lists_newest_first_and_flags_the_current_text(candidacy, dossier, activity):
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Un deux trois", 0)
    save_narrative((dossier, activity), user, "Quatre", 1)
    restore_revision(NarrativeRevision.objects.get(text="Un deux trois"), user)

    rows = history(Narrative.objects.get())
    assert [(row.revision.text, row.is_current) for row in rows] == [
        ("Quatre", False),
        ("Un deux trois", True),
    ]
    assert rows[1].excerpt == "Un deux trois"
    assert history(None) == []


def test_submission_revisions_count_as_kept(candidacy, dossier, activity):
    """A revision kept by a submission is the last kept one: the next edit within the
    interval does not duplicate it, a later one keeps the text that was submitted."""
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Déposé", 0)
    narrative = Narrative.objects.get()
    NarrativeRevision.objects.create(
        narrative=narrative, version=1, text="Déposé", reason=RevisionReason.SUBMISSION
    )
    age_revisions(narrative)
    save_narrative((dossier, activity), user, "Corrigé après renvoi", 1)
    # The text being replaced is exactly the submitted one: not kept twice.
    assert narrative.revisions.count() == 1


# -- unsigning ---------------------------------------------------------------------------------


def test_a_change_unsigns_a_no_op_does_not(candidacy, dossier, activity):
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Texte", 0)
    sign(dossier)

    assert save_narrative((dossier, activity), user, "Texte", 1).unsigned is False
    dossier.refresh_from_db()
    assert dossier.is_signed

    assert save_narrative((dossier, activity), user, "Texte modifié", 1).unsigned is True
    dossier.refresh_from_db()
    assert not dossier.is_signed


def test_a_conflict_does_not_unsign(candidacy, dossier, activity):
    user = candidacy.candidate
    save_narrative((dossier, activity), user, "Texte", 0)
    save_narrative((dossier, activity), user, "Texte 2", 1)
    sign(dossier)
    with pytest.raises(NarrativeConflict):
        save_narrative((dossier, activity), user, "Texte périmé", 1)
    dossier.refresh_from_db()
    assert dossier.is_signed


# -- text --------------------------------------------------------------------------------------


def test_clean_text_strips_control_characters_but_keeps_newlines_and_tabs():
    raw = "Ligne 1\r\nLigne\x002\tcolonne\rLigne 3\x07\x1b[31m\x7f\x85 fin\ud800"
    assert clean_text(raw) == "Ligne 1\nLigne2\tcolonne\nLigne 3[31m fin"


def test_clean_text_keeps_markup_as_plain_text():
    text = "<script>alert(1)</script><style>body{display:none}</style>"
    assert clean_text(text) == text


def test_length_cap(candidacy, dossier, activity):
    assert clean_text("é" * NARRATIVE_MAX_CHARS) == "é" * NARRATIVE_MAX_CHARS
    with pytest.raises(ValidationError) as raised:
        save_narrative((dossier, activity), candidacy.candidate, "a" * 50_001, 0)
    (message,) = raised.value.messages
    assert "50\u202f001 caractères" in message
    assert "ne peut pas dépasser 50\u202f000 caractères" in message
    assert not Narrative.objects.exists()


# -- who and what ------------------------------------------------------------------------------


def test_only_activities_of_targeted_blocs(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    request = candidacy.eligibility_request
    first, *others = list(referentiel.blocs.order_by("sort_order"))
    request.candidacy.targeted_blocs.set([first])
    dossier = dossier_for(candidacy)
    outside = Activity.objects.filter(bloc=others[0]).first()

    with pytest.raises(ValidationError) as raised:
        save_narrative((dossier, outside), candidacy.candidate, "Texte", 0)
    assert "blocs de compétences que vous visez" in raised.value.messages[0]
    assert find_activity(candidacy, dossier, outside.pk) is None
    rows = narrative_rows(candidacy, dossier)
    assert [bloc.bloc for bloc in rows] == [first]
    assert not Narrative.objects.exists()


@pytest.mark.parametrize("state", [CandidacyState.DOSSIER_SUBMITTED, CandidacyState.UNDER_REVIEW])
def test_not_editable_state_refuses_writes(referentiel, state):
    candidacy = CandidacyFactory(state=state)
    dossier = dossier_for(candidacy)
    narrative = Narrative.objects.filter(dossier=dossier).first()
    before = (narrative.text, narrative.version)
    revision = NarrativeRevision.objects.create(
        narrative=narrative, version=0, text="Ancien", reason=RevisionReason.EDIT
    )

    with pytest.raises(TransitionForbidden):
        save_narrative(narrative, candidacy.candidate, "Changé", narrative.version)
    with pytest.raises(TransitionForbidden):
        restore_revision(revision, candidacy.candidate)

    narrative.refresh_from_db()
    assert (narrative.text, narrative.version) == before
    assert narrative.revisions.count() == 1


def test_only_the_owner_writes(candidacy, dossier, activity):
    for user in [UserFactory(role=Role.CANDIDATE), UserFactory(role=Role.CERTIFIER)]:
        with pytest.raises(TransitionForbidden):
            save_narrative((dossier, activity), user, "Intrus", 0)
    assert not Narrative.objects.exists()


def test_narrative_rows_statuses(candidacy, dossier, settings):
    settings.VAE_NARRATIVE_MIN_CHARS = 10
    activities = [a for bloc in candidacy.referentiel_tree() for a in bloc.activities.all()]
    user = candidacy.candidate
    save_narrative((dossier, activities[0]), user, "  court  ", 0)
    save_narrative((dossier, activities[1]), user, "Un récit assez long", 0)
    rows = {
        row.activity.pk: row for bloc in narrative_rows(candidacy, dossier) for row in bloc.rows
    }

    assert (rows[activities[0].pk].status, rows[activities[0].pk].length) == ("started", 5)
    assert rows[activities[0].pk].missing == 5
    assert rows[activities[1].pk].status == "sufficient"
    assert rows[activities[2].pk].status == "empty"
    assert len(rows) == len(activities) == 12


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        ("Le chat dort.", "Le chien dort.", ("Le ", "chat", "chien", " dort.")),
        ("Budget", "Budget prévisionnel", ("Budget", "", " prévisionnel", "")),
        ("Un. Deux", "Un. Trois. Deux", ("Un. ", "", "Trois. ", "Deux")),
        ("même", "même", ("même", "", "", "")),
        ("", "Texte", ("", "", "Texte", "")),
    ],
)
def test_difference_marks_whole_words(mine, theirs, expected):
    diff = difference(mine, theirs)
    assert (diff.start, diff.mine, diff.theirs, diff.end) == expected
