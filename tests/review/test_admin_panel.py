"""The certifier's panel page (Wagtail admin): seats, assignment, replacement, removal,
start and end of the review, and who gets in."""

import datetime
import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from review import services
from review.enums import AssignmentStatus, ReviewEventKind
from review.models import Assignment, EvaluatorProfile, ReviewEvent, ReviewSettings
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    EvaluatorFactory,
    UserFactory,
    make_consolidation,
    make_grids,
    make_panel,
)
from vae import services as vae_services
from vae.enums import CandidacyState, Role, Transition
from vae.models import Candidacy, CandidacyTransition

pytestmark = pytest.mark.django_db

S = CandidacyState
EXTERNAL, TRAINING, CERTIFIER = "external_professional", "training_body", "certifier"


@pytest.fixture
def certifier(client):
    user = UserFactory(role=Role.CERTIFIER, first_name="Camille", last_name="Martin")
    log_in(client, user)
    return user


@pytest.fixture
def submitted(referentiel):
    return CandidacyFactory(state=S.DOSSIER_SUBMITTED)


@pytest.fixture
def pool(referentiel):
    """Available evaluators: three external professionals, one of each other seat."""
    return {
        EXTERNAL: [
            EvaluatorFactory(category=EXTERNAL, last_name=name)
            for name in ("Arnaud", "Bertin", "Chevalier")
        ],
        TRAINING: [EvaluatorFactory(category=TRAINING, last_name="Dumas")],
        CERTIFIER: [EvaluatorFactory(category=CERTIFIER, last_name="Ferrand")],
    }


def panel_url(candidacy):
    return reverse("review_admin:panel", args=[candidacy.pk])


def text(response) -> str:
    return unescape(response.content.decode())


def plain(response) -> str:
    """The page's text as read, tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def flashed(response) -> list[str]:
    return [unescape(str(m)) for m in get_messages(response.wsgi_request)]


def admin_login_url() -> str:
    return resolve_url(getattr(settings, "WAGTAILADMIN_LOGIN_URL", "wagtailadmin_login"))


def assign(client, candidacy, chosen: dict, due=None):
    data = {"action": "assign", "due_date": (due or timezone.localdate()).isoformat()}
    data.update({name: user.pk for name, user in chosen.items()})
    return client.post(panel_url(candidacy), data)


def full_panel(pool):
    return {
        "seat_external_professional_1": pool[EXTERNAL][0],
        "seat_external_professional_2": pool[EXTERNAL][1],
        "seat_training_body_1": pool[TRAINING][0],
        "seat_certifier_1": pool[CERTIFIER][0],
    }


def options(response, field) -> set[int]:
    """The user ids a select of the assignment form offers."""
    form = response.context["panel_form"]
    return {user.pk for user in form.fields[field].queryset}


# -- what the page shows ----------------------------------------------------------------


def test_page_shows_the_seats_and_the_eligible_evaluators(client, certifier, submitted, pool):
    settings_row = ReviewSettings.load()
    settings_row.review_days = 10
    settings_row.save()
    # Not offered: an evaluator of another seat, a profile without the evaluator role,
    # an inactive evaluator, and the candidate themselves (were they an evaluator).
    no_role = UserFactory(last_name="Sansrole")
    EvaluatorProfile.objects.create(user=no_role, category=EXTERNAL)
    inactive = EvaluatorFactory(category=EXTERNAL, is_active=False)
    candidate = submitted.candidate
    candidate.groups.add(Group.objects.get(name=Role.EVALUATOR))
    EvaluatorProfile.objects.create(user=candidate, category=EXTERNAL)

    response = client.get(panel_url(submitted))
    assert response.status_code == 200
    page = text(response)
    assert "Professionnel du métier externe" in page
    assert "Représentant de l'organisme de formation (OF)" in page
    assert "Représentant du certificateur" in page
    assert page.count("Siège à pourvoir") == 4
    assert "Sièges occupés : 0 sur 4 — 4 à pourvoir." in plain(response)
    externals = {u.pk for u in pool[EXTERNAL]}
    assert options(response, "seat_external_professional_1") == externals
    assert options(response, "seat_external_professional_2") == externals
    assert options(response, "seat_training_body_1") == {pool[TRAINING][0].pk}
    assert options(response, "seat_certifier_1") == {pool[CERTIFIER][0].pk}
    assert not {no_role.pk, inactive.pk, candidate.pk} & externals
    form = response.context["panel_form"]
    assert form["due_date"].value() == timezone.localdate() + datetime.timedelta(days=10)
    # One fieldset per seat, its legend the seat's label.
    assert "<legend>Professionnel du métier externe — 2 sièges à pourvoir</legend>" in page
    assert 'type="date"' in page


def test_options_say_who_is_already_busy(client, certifier, submitted, pool):
    other = CandidacyFactory(state=S.DOSSIER_SUBMITTED)
    Assignment.objects.create(
        candidacy=other, evaluator=pool[EXTERNAL][0], category=EXTERNAL, assigned_by=certifier
    )
    page = text(client.get(panel_url(submitted)))
    assert "Évaluateur Arnaud — 1 dossier en cours" in page
    assert "Évaluateur Bertin — aucun dossier en cours" in page


# -- assignment --------------------------------------------------------------------------


def test_a_full_panel_is_assigned(
    client, certifier, submitted, pool, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + datetime.timedelta(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client, submitted, full_panel(pool), due=due)
    assert response.status_code == 302
    assert response["Location"] == panel_url(submitted)
    assignments = Assignment.objects.filter(candidacy=submitted)
    assert assignments.count() == 4
    assert {a.status for a in assignments} == {AssignmentStatus.AWAITING_DECLARATION}
    assert {a.due_date for a in assignments} == {due}
    assert {a.assigned_by for a in assignments} == {certifier}
    assert sorted(a.category for a in assignments) == sorted(
        [EXTERNAL, EXTERNAL, TRAINING, CERTIFIER]
    )
    assert (
        ReviewEvent.objects.filter(candidacy=submitted, kind=ReviewEventKind.ASSIGNED).count() == 4
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in full_panel(pool).values()
    )
    assert "affectation enregistrée" in flashed(response)[0]
    page = text(client.get(panel_url(submitted)))
    assert "Siège à pourvoir" not in page
    assert "Déclaration d'absence de conflit attendue" in page
    assert "Affecter les évaluateurs" not in page  # no form when every seat is held


def test_an_incomplete_panel_is_refused_with_what_is_missing(
    client, certifier, submitted, pool, django_capture_on_commit_callbacks
):
    chosen = full_panel(pool)
    del chosen["seat_certifier_1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client, submitted, chosen)
    assert response.status_code == 200
    page = text(response)
    assert "Ce jury d'évaluation ne correspond pas à la composition du référentiel." in page
    assert "Il manque 1 « Représentant du certificateur »." in page
    assert not Assignment.objects.exists()
    assert not mail.outbox
    # The selection is kept.
    form = response.context["panel_form"]
    assert form["seat_external_professional_1"].value() == str(pool[EXTERNAL][0].pk)
    assert form["seat_training_body_1"].value() == str(pool[TRAINING][0].pk)
    assert re.search(rf'<option value="{pool[TRAINING][0].pk}" selected>', page)


def test_nobody_chosen_is_refused(client, certifier, submitted, pool):
    response = assign(client, submitted, {})
    assert response.status_code == 200
    assert "Choisissez au moins un évaluateur." in text(response)
    assert not Assignment.objects.exists()


def test_the_same_person_on_two_seats_is_refused(client, certifier, submitted, pool):
    chosen = full_panel(pool)
    chosen["seat_external_professional_2"] = pool[EXTERNAL][0]
    response = assign(client, submitted, chosen)
    assert response.status_code == 200
    assert "est déjà choisi(e) pour un autre siège." in text(response)
    assert not Assignment.objects.exists()


def test_someone_of_another_category_cannot_be_slipped_into_a_seat(
    client, certifier, submitted, pool
):
    chosen = full_panel(pool)
    chosen["seat_external_professional_2"] = pool[TRAINING][0]
    response = assign(client, submitted, chosen)
    assert response.status_code == 200
    assert "Cette personne ne peut plus occuper ce siège" in text(response)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2000-01-01", "L'échéance ne peut pas être dans le passé."),
        ("", "Indiquez la date à laquelle les grilles doivent être remises."),
        ("pas une date", "Indiquez une date valide"),
    ],
)
def test_due_date_is_checked(client, certifier, submitted, pool, due, message):
    data = {"action": "assign", "due_date": due}
    data.update({name: user.pk for name, user in full_panel(pool).items()})
    response = client.post(panel_url(submitted), data)
    assert response.status_code == 200
    assert message in text(response)
    assert not Assignment.objects.exists()


# -- replacement and removal -------------------------------------------------------------


def test_replacement_after_a_declared_conflict(client, certifier, submitted, pool):
    assignments = make_panel(submitted, declared=False, by=certifier)
    leaving = assignments[0]
    services.declare(
        assignment=leaving,
        by=leaving.evaluator,
        knows_candidate=True,
        details="Ancienne collègue chez Les Films du Lendemain.",
    )
    response = client.get(panel_url(submitted))
    page = text(response)
    assert "Conflit d'intérêts déclaré" in page
    assert "Ancienne collègue chez Les Films du Lendemain." in page
    assert page.count("Siège à pourvoir") == 1
    assert "Seuls les sièges à pourvoir sont proposés" in page
    form = response.context["panel_form"]
    # Only the free seat is offered, and never the person who knows the candidate.
    assert [name for name in form.fields if name.startswith("seat_")] == [
        "seat_external_professional_1"
    ]
    assert leaving.evaluator.pk not in options(response, "seat_external_professional_1")

    newcomer = pool[EXTERNAL][2]
    response = assign(client, submitted, {"seat_external_professional_1": newcomer})
    assert response.status_code == 302
    holding = Assignment.objects.holding().filter(candidacy=submitted)
    assert holding.count() == 4
    assert holding.filter(evaluator=newcomer, category=EXTERNAL).exists()
    assert "Siège à pourvoir" not in text(client.get(panel_url(submitted)))


def test_replacement_cannot_add_a_seat_that_is_not_free(client, certifier, submitted, pool):
    assignments = make_panel(submitted, declared=True, by=certifier)
    services.remove_assignment(assignment=assignments[2], by=certifier, reason="Indisponible.")
    # Only the training-body seat is free; a stale page posting an external professional
    # is refused by the form (no such select) and then by the service.
    response = assign(client, submitted, {"seat_external_professional_1": pool[EXTERNAL][0]})
    assert response.status_code == 200
    assert "Choisissez au moins un évaluateur." in text(response)
    assert Assignment.objects.holding().filter(candidacy=submitted).count() == 3


def test_remove_needs_a_reason_then_frees_the_seat(client, certifier, submitted):
    assignment = make_panel(submitted, declared=True, by=certifier)[3]
    response = client.post(
        panel_url(submitted), {"action": "remove", "assignment": assignment.pk, "reason": "  "}
    )
    assert response.status_code == 200
    assert "Indiquez le motif du retrait." in text(response)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE

    response = client.post(
        panel_url(submitted),
        {"action": "remove", "assignment": assignment.pk, "reason": "Ne répond plus."},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    assert assignment.end_reason == "Ne répond plus."
    event = ReviewEvent.objects.get(candidacy=submitted, kind=ReviewEventKind.REMOVED)
    assert (event.actor, event.details) == (certifier, "Ne répond plus.")
    page = text(client.get(panel_url(submitted)))
    assert "Retiré par le certificateur" in page
    assert "Ne répond plus." in page
    assert page.count("Siège à pourvoir") == 1


def test_remove_an_assignment_of_another_candidacy_is_404(client, certifier, submitted):
    other = CandidacyFactory(state=S.DOSSIER_SUBMITTED)
    foreign = make_panel(other, by=certifier)[0]
    response = client.post(
        panel_url(submitted), {"action": "remove", "assignment": foreign.pk, "reason": "x"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == AssignmentStatus.ACTIVE


def test_remove_is_refused_once_the_review_is_over(client, certifier, referentiel):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    assignment = make_panel(candidacy, by=certifier)[0]
    page = text(client.get(panel_url(candidacy)))
    assert "Le jury d'évaluation ne se modifie plus à l'état « Évaluation terminée »." in page
    assert 'value="remove"' not in page
    response = client.post(
        panel_url(candidacy), {"action": "remove", "assignment": assignment.pk, "reason": "x"}
    )
    assert response.status_code == 200
    assert "On ne retire plus d'évaluateur une fois l'évaluation terminée" in text(response)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


# -- start and end of the review ---------------------------------------------------------


def transitions(candidacy):
    return list(CandidacyTransition.objects.filter(candidacy=candidacy))


def decision_url(candidacy, transition):
    return reverse("candidacy_admin:decide", args=[candidacy.pk, transition])


def check(client, candidacy, transition, **data):
    """« Vérifier »: the first step of the decision, which writes nothing."""
    return client.post(decision_url(candidacy, transition), {"comment": "", **data})


def confirm(client, candidacy, transition, **data):
    """« Confirmer »: the decision as its confirmation page posts it."""
    return check(client, candidacy, transition, confirm="on", **data)


def test_the_panel_leads_to_the_confirmation_step_of_the_start(client, certifier, submitted):
    make_panel(submitted, declared=True, by=certifier)
    response = client.get(panel_url(submitted))
    page = text(response)
    # A link to the decision's page (with the version shown), no form posting it here.
    assert response.context["start_url"].startswith(
        decision_url(submitted, Transition.START_REVIEW) + "?seen="
    )
    assert f'href="{response.context["start_url"]}"' in page
    assert 'value="start_review"' not in page
    # Posted to the panel, the start is not an action of this page.
    response = client.post(panel_url(submitted), {"action": Transition.START_REVIEW})
    assert response.status_code == 400
    assert transitions(submitted) == []


def test_start_review_is_refused_with_the_guard_problems_then_accepted(
    client, certifier, submitted
):
    assignments = make_panel(submitted, declared=False, by=certifier)
    name = assignments[0].evaluator.get_full_name()
    missing = f"{name} n'a pas encore déclaré ne pas connaître le candidat."
    # Said on the decision's page before anything is tried: no form to confirm.
    response = client.get(decision_url(submitted, Transition.START_REVIEW))
    assert response.status_code == 200
    assert response.context["form"] is None
    page = text(response)
    assert "Cette action n'est pas encore possible." in page
    assert missing in page
    assert panel_url(submitted) in page
    # And refused if posted all the same.
    response = confirm(client, submitted, Transition.START_REVIEW)
    assert response.status_code == 200
    page = text(response)
    assert "Cette action n'est pas encore possible." in page
    assert missing in page
    assert Candidacy.objects.get(pk=submitted.pk).state == S.DOSSIER_SUBMITTED
    assert transitions(submitted) == []

    for assignment in assignments:
        services.declare(assignment=assignment, by=assignment.evaluator, knows_candidate=False)
    # The restatement: the candidate is told by e-mail.
    page = plain(client.get(decision_url(submitted, Transition.START_REVIEW)))
    assert "à l'état « Dossier en cours d'évaluation »" in page
    assert "recevra un e-mail intitulé « Votre dossier est en cours d'évaluation »" in page
    response = check(client, submitted, Transition.START_REVIEW)
    assert response.status_code == 200
    assert "Vérifiez avant de confirmer : Lancer l'évaluation" in plain(response)
    assert transitions(submitted) == []
    response = confirm(client, submitted, Transition.START_REVIEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("candidacy_admin:detail", args=[submitted.pk])
    assert Candidacy.objects.get(pk=submitted.pk).state == S.UNDER_REVIEW
    [entry] = transitions(submitted)
    assert (entry.transition, entry.actor, entry.actor_role) == (
        Transition.START_REVIEW,
        certifier,
        Role.CERTIFIER,
    )
    assert f"{submitted.reference} : Début de l'évaluation du dossier." in flashed(response)[0]


def test_start_review_with_an_empty_seat_lists_the_missing_seat(client, certifier, submitted):
    assignments = make_panel(submitted, declared=True, by=certifier)
    services.remove_assignment(assignment=assignments[3], by=certifier, reason="Malade.")
    page = text(client.get(panel_url(submitted)))
    assert "Il manque 1 « Représentant du certificateur »." in page  # shown beforehand
    for step in (check, confirm):
        response = step(client, submitted, Transition.START_REVIEW)
        assert "Il manque 1 « Représentant du certificateur »." in text(response)
    assert transitions(submitted) == []


def test_complete_review_is_refused_with_what_is_missing_then_accepted(
    client, certifier, referentiel
):
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    assignments = make_panel(candidacy, by=certifier)
    make_grids(candidacy, assignments)
    page = text(client.get(panel_url(candidacy)))
    assert decision_url(candidacy, Transition.COMPLETE_REVIEW) in page
    for step in (check, confirm):
        response = step(client, candidacy, Transition.COMPLETE_REVIEW)
        assert response.status_code == 200
        page = text(response)
        assert "Cette action n'est pas encore possible." in page
        assert "Il manque l'appréciation consolidée des compétences C1.1, C1.2" in page
    assert transitions(candidacy) == []

    make_consolidation(candidacy, by=assignments[3].evaluator)
    response = check(client, candidacy, Transition.COMPLETE_REVIEW, comment="Grilles concordantes.")
    page = plain(response)
    assert "Vérifiez avant de confirmer : Clore l'évaluation" in page
    assert "« L'évaluation de votre dossier est terminée »" in page
    assert "Grilles concordantes." in page
    assert transitions(candidacy) == []
    response = confirm(
        client, candidacy, Transition.COMPLETE_REVIEW, comment="Grilles concordantes."
    )
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.REVIEWED
    [entry] = transitions(candidacy)
    assert (entry.transition, entry.actor, entry.actor_role, entry.comment) == (
        Transition.COMPLETE_REVIEW,
        certifier,
        Role.CERTIFIER,
        "Grilles concordantes.",
    )


def test_a_stale_panel_page_cannot_start_the_review(client, certifier, submitted):
    """The start link carries the version shown: a colleague's return meanwhile is caught."""
    make_panel(submitted, declared=True, by=certifier)
    start_url = client.get(panel_url(submitted)).context["start_url"]
    seen = client.get(start_url).context["form"]["seen"].value()
    colleague = UserFactory(role=Role.CERTIFIER)
    vae_services.return_dossier(candidacy=submitted, by=colleague, comment="Pièce illisible.")
    response = confirm(client, submitted, Transition.START_REVIEW, seen=seen)
    assert response.status_code == 409
    assert "modifiée par quelqu'un d'autre" in text(response)
    assert [e.transition for e in transitions(submitted)] == [Transition.RETURN_DOSSIER]


# -- wrong state -------------------------------------------------------------------------


def test_in_a_state_before_the_dossier_nothing_can_be_done(client, certifier, pool):
    candidacy = CandidacyFactory(state=S.ELIGIBLE)
    response = client.get(panel_url(candidacy))
    assert response.status_code == 200
    page = text(response)
    assert "Le jury d'évaluation se constitue une fois le dossier de validation déposé" in page
    assert response.context["panel_form"] is None
    assert "Lancer l'évaluation" not in page

    response = assign(client, candidacy, full_panel(pool))
    assert response.status_code == 200
    assert "On affecte les évaluateurs à un dossier déposé (état actuel : « Recevable »)." in text(
        response
    )
    assert not Assignment.objects.exists()

    for step in (check, confirm):
        response = step(client, candidacy, Transition.START_REVIEW)
        assert "Cette action n'est pas possible : la candidature est à l'état « Recevable »." in (
            text(response)
        )
        response = step(client, candidacy, Transition.COMPLETE_REVIEW)
        assert "la candidature est à l'état « Recevable »" in text(response)
    assert transitions(candidacy) == []


@pytest.mark.parametrize(
    "action", [Transition.WITHDRAW, Transition.START_REVIEW, Transition.COMPLETE_REVIEW]
)
def test_an_unknown_action_is_400(client, certifier, submitted, action):
    # The decisions on the candidacy are confirmed on their own page, never posted here.
    response = client.post(panel_url(submitted), {"action": action, "confirm": "on"})
    assert response.status_code == 400
    assert "Cette action n'existe pas." in text(response)
    assert Candidacy.objects.get(pk=submitted.pk).state == S.DOSSIER_SUBMITTED
    assert transitions(submitted) == []


# -- who gets in -------------------------------------------------------------------------


def every_url(candidacy):
    return [
        reverse("review_admin:panel", args=[candidacy.pk]),
        reverse("review_admin:ratings", args=[candidacy.pk]),
        reverse("review_admin:grid_pdf", args=[candidacy.pk]),
        reverse("review_admin:agreement"),
    ]


def assert_nothing_written(candidacy):
    assert not Assignment.objects.filter(candidacy=candidacy).exists()
    assert not CandidacyTransition.objects.filter(candidacy=candidacy).exists()
    assert Candidacy.objects.get(pk=candidacy.pk).state == candidacy.state


def test_anonymous_is_sent_to_the_login(client, submitted, pool):
    for url in every_url(submitted):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())
    response = assign(client, submitted, full_panel(pool))
    assert response["Location"].startswith(admin_login_url())
    assert_nothing_written(submitted)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_never_get_in(client, submitted, pool, role):
    # The candidate of this very dossier, and an evaluator of its panel, included.
    if role == Role.CANDIDATE:
        user = submitted.candidate
    elif role == Role.EVALUATOR:
        user = pool[EXTERNAL][0]
    else:
        user = UserFactory(role=role)
    log_in(client, user)
    for url in every_url(submitted):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())
    assign(client, submitted, full_panel(pool))
    response = client.get(decision_url(submitted, Transition.START_REVIEW))
    assert response["Location"].startswith(admin_login_url())
    for step in (check, confirm):
        assert step(client, submitted, Transition.START_REVIEW).status_code == 302
    assert_nothing_written(submitted)


def test_staff_who_are_not_certifiers_are_refused_before_any_lookup(client, submitted, pool):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, staff)
    missing = reverse("review_admin:panel", args=[999999])
    for url in [*every_url(submitted), missing]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assign(client, submitted, full_panel(pool))
    assert_nothing_written(submitted)


def test_a_certifier_is_kept_out_of_their_own_candidacy(client, certifier, referentiel, pool):
    certifier.groups.add(*UserFactory(role=Role.CANDIDATE).groups.all())
    own = CandidacyFactory(state=S.DOSSIER_SUBMITTED, candidate=certifier)
    detail = reverse("candidacy_admin:detail", args=[own.pk])
    for url in every_url(own)[:3]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == detail
        assert "C'est votre propre candidature" in flashed(response)[0]
    response = assign(client, own, full_panel(pool))
    assert response["Location"] == detail
    for step in (check, confirm):
        response = step(client, own, Transition.START_REVIEW)
        assert "votre propre candidature" in text(response)
    assert_nothing_written(own)
    # The candidacy's page says so instead of offering the panel.
    page = text(client.get(detail))
    assert "un autre certificateur s'occupe de son évaluation" in page
    assert panel_url(own) not in page


def test_unknown_candidacy_is_404(client, certifier, referentiel):
    for name in ("panel", "ratings", "grid_pdf"):
        url = reverse(f"review_admin:{name}", args=[999999])
        assert client.get(url).status_code == 404
    assert client.post(reverse("review_admin:panel", args=[999999]), {}).status_code == 404


# -- the candidacy's page ----------------------------------------------------------------


def test_candidacy_page_has_an_evaluation_section(client, certifier, submitted):
    detail = reverse("candidacy_admin:detail", args=[submitted.pk])
    response = client.get(detail)
    page = text(response)
    assert "Évaluation" in page
    assert "Jury d'évaluation : 0 siège occupé sur 4 , 4 à pourvoir." in plain(response)
    assert f'href="{panel_url(submitted)}"' in page
    assert "Constituer le jury d'évaluation" in page

    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    assignments = make_panel(candidacy, by=certifier)
    make_grids(candidacy, assignments[:2])
    response = client.get(reverse("candidacy_admin:detail", args=[candidacy.pk]))
    page = text(response)
    assert "Grilles remises : 2 sur 4" in plain(response)
    assert "Appréciations consolidées : 0 sur 26" in plain(response)
    assert reverse("review_admin:ratings", args=[candidacy.pk]) in page
    assert reverse("review_admin:grid_pdf", args=[candidacy.pk]) in page


def test_candidacy_page_has_no_evaluation_section_before_the_dossier(
    client, certifier, referentiel
):
    candidacy = CandidacyFactory(state=S.ELIGIBILITY_SUBMITTED)
    response = client.get(reverse("candidacy_admin:detail", args=[candidacy.pk]))
    assert response.context["review"] is None
    assert panel_url(candidacy) not in text(response)


# -- menu and evaluator profiles ---------------------------------------------------------


def menu(client) -> str:
    """The admin's sidebar menu, which Wagtail ships as JSON for its React sidebar."""
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    raw = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S)
    return json.dumps(json.loads(raw.group(1)), ensure_ascii=False)


def test_menu_shows_the_review_items_to_certifiers_only(client, referentiel):
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    sidebar = menu(client)
    assert "Accord entre évaluateurs" in sidebar
    assert reverse("review_admin:agreement") in sidebar
    assert "Profils d'évaluateurs" in sidebar

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, staff)
    sidebar = menu(client)
    assert "Candidatures" not in sidebar  # sanity check: the menu is read at all
    assert "Accord entre évaluateurs" not in sidebar
    assert "Profils d'évaluateurs" not in sidebar


def test_certifiers_manage_evaluator_profiles(client, certifier, referentiel):
    evaluator = UserFactory(role=Role.EVALUATOR, last_name="Nouvel")
    already = EvaluatorFactory(category=TRAINING)
    candidate = UserFactory(role=Role.CANDIDATE)
    add_url = reverse("evaluator_profiles:add")
    response = client.get(add_url)
    assert response.status_code == 200
    offered = {user.pk for user in response.context["form"].fields["user"].queryset}
    assert evaluator.pk in offered
    assert already.pk not in offered  # has a profile already
    assert candidate.pk not in offered  # not an evaluator

    response = client.post(
        add_url, {"user": evaluator.pk, "category": CERTIFIER, "organisation": "CPNEF AV"}
    )
    assert response.status_code == 302
    profile = EvaluatorProfile.objects.get(user=evaluator)
    assert (profile.category, profile.organisation) == (CERTIFIER, "CPNEF AV")
    index = text(client.get(reverse("evaluator_profiles:index")))
    assert "CPNEF AV" in index

    # Editing changes the category, never the person.
    edit_url = reverse("evaluator_profiles:edit", args=[profile.pk])
    response = client.post(
        edit_url, {"user": candidate.pk, "category": EXTERNAL, "organisation": "CPNEF AV"}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.user, profile.category) == (evaluator, EXTERNAL)


def test_evaluator_profiles_are_refused_to_other_staff(client, referentiel):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, staff)
    evaluator = UserFactory(role=Role.EVALUATOR)
    for url in (reverse("evaluator_profiles:index"), reverse("evaluator_profiles:add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    client.post(reverse("evaluator_profiles:add"), {"user": evaluator.pk, "category": EXTERNAL})
    assert not EvaluatorProfile.objects.exists()
