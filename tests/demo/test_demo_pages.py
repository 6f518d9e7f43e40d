"""Each demo person finds their pages: the demo data is what the pages expect, for the
candidates (livrets 1 and 2), the certifier (each candidacy) and the evaluators; the jury
members' pages are in test_demo_jury."""

from django.urls import reverse

from review.models import Assignment
from tests.accounts import log_in
from vae.enums import EVALUATOR_READING_STATES
from vae.models import Candidacy, User


def _open(client, user, urls):
    log_in(client, user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (user.email, url, response.status_code)


def test_each_demo_person_finds_their_pages(client, demo):
    candidacies = list(Candidacy.objects.select_related("candidate", "dossier"))
    for candidacy in candidacies:
        on_livret = {"candidacy_pk": candidacy.pk}
        urls = [
            reverse("candidacy:dashboard"),
            reverse("candidacy:detail", args=[candidacy.pk]),
            reverse("livret:livret1", kwargs=on_livret),
        ]
        if hasattr(candidacy, "dossier"):
            urls += [
                reverse(name, kwargs=on_livret)
                for name in ("livret:dossier", "livret:narratives", "livret:evidence_list")
            ]
        _open(client, candidacy.candidate, urls)
    _open(
        client,
        User.objects.get(email="certificateur@demo.vae.local"),
        [reverse("candidacy_admin:list")]
        + [reverse("candidacy_admin:detail", args=[c.pk]) for c in candidacies],
    )
    # Evaluators read a dossier until the review ends; the jury's candidates are no longer
    # theirs (the jury's pages are checked in test_demo_jury).
    reading = Assignment.objects.active().filter(candidacy__state__in=EVALUATOR_READING_STATES)
    assert reading.exists()
    for assignment in reading.select_related("evaluator"):
        _open(
            client,
            assignment.evaluator,
            [reverse("review:workspace"), reverse("review:dossier", args=[assignment.pk])],
        )
