"""The certifier's back office for candidacies: list, detail, decisions, and who gets in."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.admin_forms import ACTIONS
from referentiel import french as fr
from tests.accounts import log_in
from tests.documents import get_pdf, pdf_bytes
from tests.factories import CandidacyFactory, UserFactory
from vae import notifications, services
from vae.enums import TRANSITIONS, CandidacyState, Role, Transition
from vae.models import Candidacy, CandidacyTransition
from vae.workflow import ConcurrentDecision

pytestmark = pytest.mark.django_db

S = CandidacyState
T = Transition
LIST = "candidacy_admin:list"


@pytest.fixture
def certifier(client):
    user = UserFactory(role=Role.CERTIFIER, first_name="Camille", last_name="Martin")
    log_in(client, user)
    return user


def detail_url(candidacy):
    return reverse("candidacy_admin:detail", args=[candidacy.pk])


def text(response) -> str:
    return unescape(response.content.decode())


def plain(response) -> str:
    """The page's text as read, tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def listed(response) -> list[int]:
    return [candidacy.pk for candidacy in response.context["object_list"]]


def make(state=S.ELIGIBILITY_SUBMITTED, **kwargs) -> Candidacy:
    return CandidacyFactory(state=state, **kwargs)


def set_dates(candidacy, *, created=None, changed=None):
    changes = {}
    if created:
        changes["created_at"] = created
    if changed:
        changes["state_changed_at"] = changed
    Candidacy.objects.filter(pk=candidacy.pk).update(**changes)


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def decide_url(candidacy, action):
    return reverse("candidacy_admin:decide", args=[candidacy.pk, action])


def check(client, candidacy, action, comment="", **extra):
    """« Vérifier »: the first step of a decision, which writes nothing."""
    data = {"comment": comment, **extra}
    return client.post(decide_url(candidacy, action), data)


def decide(client, candidacy, action, comment="", **extra):
    """« Confirmer »: the decision as the confirmation page posts it."""
    return check(client, candidacy, action, comment, **{"confirm": "on", **extra})


def seen_token(response, action):
    """The version of the candidacy its page showed, as its link to ``action`` carries it."""
    link = next(link for link in response.context["actions"] if link.action.transition == action)
    return parse_qs(urlsplit(link.url).query)["seen"][0]


def admin_login_url() -> str:
    """Where Wagtail sends those it does not let in (the site's own login page, if set)."""
    return resolve_url(getattr(settings, "WAGTAILADMIN_LOGIN_URL", "wagtailadmin_login"))


def staff_user(role=None):
    user = UserFactory(role=role, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


# -- the list -------------------------------------------------------------------------


def test_list_shows_reference_candidate_state_blocs_and_links(client, certifier, referentiel):
    candidacy = make(candidate=UserFactory(role=Role.CANDIDATE, last_name="Lefèvre"))
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    page = text(response)
    assert candidacy.reference in page
    assert "Alex Lefèvre" in page
    assert candidacy.candidate.email in page
    assert "Recevabilité en cours d'examen" in page
    assert "BC1, BC2, BC3" in page
    assert f'href="{detail_url(candidacy)}"' in page


def test_filter_by_state_single_and_multiple(client, certifier, referentiel):
    submitted = make(S.ELIGIBILITY_SUBMITTED)
    eligible = make(S.ELIGIBLE)
    draft = make(S.DRAFT)
    assert set(listed(client.get(reverse(LIST)))) == {submitted.pk, eligible.pk, draft.pk}
    assert listed(client.get(reverse(LIST), {"state": "eligible"})) == [eligible.pk]
    response = client.get(reverse(LIST), {"state": ["eligible", "draft"]})
    assert set(listed(response)) == {eligible.pk, draft.pk}


def test_filter_by_targeted_bloc(client, certifier, referentiel):
    only_bc3 = make()
    only_bc3.targeted_blocs.set(referentiel.blocs.filter(code="BC3"))
    only_bc1 = make()
    only_bc1.targeted_blocs.set(referentiel.blocs.filter(code="BC1"))
    all_blocs = make()
    assert set(listed(client.get(reverse(LIST), {"bloc": "BC3"}))) == {only_bc3.pk, all_blocs.pk}
    assert set(listed(client.get(reverse(LIST), {"bloc": "BC1"}))) == {only_bc1.pk, all_blocs.pk}
    # A candidacy targeting both chosen blocs is listed once.
    response = client.get(reverse(LIST), {"bloc": ["BC1", "BC3"]})
    assert sorted(listed(response)) == sorted([only_bc3.pk, only_bc1.pk, all_blocs.pk])


def test_filter_by_creation_date_range(client, certifier, referentiel):
    december, january, march = make(), make(), make()
    set_dates(december, created=at(2025, 12, 20))
    set_dates(january, created=at(2026, 1, 31, 23))
    set_dates(march, created=at(2026, 3, 2))
    response = client.get(reverse(LIST), {"created_from": "2026-01-01", "created_to": "2026-01-31"})
    assert listed(response) == [january.pk]
    response = client.get(reverse(LIST), {"created_from": "2026-01-01"})
    assert set(listed(response)) == {january.pk, march.pk}


def test_filter_by_last_state_change_range(client, certifier, referentiel):
    old, recent = make(), make()
    set_dates(old, changed=at(2026, 1, 5))
    set_dates(recent, changed=at(2026, 2, 10))
    response = client.get(
        reverse(LIST), {"state_changed_from": "2026-02-01", "state_changed_to": "2026-02-28"}
    )
    assert listed(response) == [recent.pk]


def test_search_by_last_name_and_by_email(client, certifier, referentiel):
    leroy = make(candidate=UserFactory(role=Role.CANDIDATE, last_name="Leroy"))
    other = make(candidate=UserFactory(role=Role.CANDIDATE, email="sam.petit@studio.fr"))
    assert listed(client.get(reverse(LIST), {"q": "leroy"})) == [leroy.pk]
    assert listed(client.get(reverse(LIST), {"q": "sam.petit@studio"})) == [other.pk]
    assert listed(client.get(reverse(LIST), {"q": "personne-inconnue"})) == []


def test_default_order_puts_awaiting_decisions_first_then_newest(client, certifier, referentiel):
    eligible_recent = make(S.ELIGIBLE)
    submitted_old = make(S.ELIGIBILITY_SUBMITTED)
    dossier = make(S.DOSSIER_SUBMITTED)
    draft_old = make(S.DRAFT)
    set_dates(eligible_recent, changed=at(2026, 3, 1))
    set_dates(submitted_old, changed=at(2026, 1, 1))
    set_dates(dossier, changed=at(2026, 2, 1))
    set_dates(draft_old, changed=at(2025, 12, 1))
    response = client.get(reverse(LIST))
    assert listed(response) == [dossier.pk, submitted_old.pk, eligible_recent.pk, draft_old.pk]
    # A column header reorders.
    response = client.get(reverse(LIST), {"ordering": "state_changed_at"})
    assert listed(response) == [draft_old.pk, submitted_old.pk, dossier.pk, eligible_recent.pk]


def test_pagination_25_per_page(client, certifier, referentiel):
    made = [make(S.DRAFT) for _ in range(27)]
    first = client.get(reverse(LIST))
    second = client.get(reverse(LIST), {"p": 2})
    assert len(listed(first)) == 25
    assert len(listed(second)) == 2
    assert set(listed(first)) | set(listed(second)) == {c.pk for c in made}


def test_query_count_does_not_grow_with_rows(client, certifier, referentiel):
    for _ in range(3):
        make()
    client.get(reverse(LIST))  # warm the caches (content types, site) first
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(reverse(LIST)))) == 3
    for _ in range(27):
        make()
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(reverse(LIST)))) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_results_fragment_for_live_filtering(client, certifier, referentiel):
    eligible = make(S.ELIGIBLE)
    make(S.DRAFT)
    response = client.get(reverse("candidacy_admin:list_results"), {"state": "eligible"})
    assert response.status_code == 200
    assert listed(response) == [eligible.pk]
    assert "<html" not in response.content.decode()


def test_menu_item_with_count_for_certifiers_only(client, certifier, referentiel):
    make(S.ELIGIBILITY_SUBMITTED)
    make(S.DOSSIER_SUBMITTED)
    make(S.ELIGIBLE)
    assert "Candidatures (2)" in text(client.get(reverse("wagtailadmin_home")))
    log_in(client, staff_user())
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert "Candidatures" not in text(home)


# -- the detail page ------------------------------------------------------------------


def test_detail_shows_header_livret1_precheck_completeness_and_timeline(
    client, certifier, referentiel
):
    candidacy = make(S.DRAFT)
    services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    response = client.get(detail_url(candidacy))
    assert response.status_code == 200
    page = text(response)
    assert candidacy.reference in page
    assert candidacy.candidate.get_full_name() in page
    assert f"version {referentiel.version}" in page
    assert "Recevabilité en cours d'examen" in page
    # Livret 1 (read-only include) and the pre-check.
    assert "Les Films du Lendemain" in page
    assert response.context["precheck"].summary in page
    assert "Toutes les rubriques sont renseignées." in page
    # The history names who acted.
    assert "Envoi du livret 1" in page
    assert f"par {candidacy.candidate.get_full_name()} (candidat)" in page


def test_detail_query_count_does_not_grow_with_experiences_or_history(
    client, certifier, referentiel
):
    def detail_queries(candidacy):
        client.get(detail_url(candidacy))  # warm the caches first
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(candidacy)).status_code == 200
        return len(queries.captured_queries)

    small = make(S.DRAFT)
    services.submit_eligibility(candidacy=small, by=small.candidate)
    large = make(S.DRAFT)
    experience = large.eligibility_request.experiences.get()
    for n in range(4):
        experience.pk = None
        experience.employer = f"Production {n}"
        experience.save()
    services.submit_eligibility(candidacy=large, by=large.candidate)
    services.return_eligibility(candidacy=large, by=certifier, comment="Précisez.")
    services.submit_eligibility(candidacy=large, by=large.candidate)
    assert large.eligibility_request.experiences.count() == 5
    assert detail_queries(large) == detail_queries(small)


def test_detail_of_an_incomplete_livret_lists_what_is_missing(client, certifier, referentiel):
    candidacy = CandidacyFactory(state=S.DRAFT, livret="empty")
    page = text(client.get(detail_url(candidacy)))
    assert "Des rubriques restent à renseigner." in page
    assert "Signez la déclaration sur l'honneur." in page


def test_detail_shows_the_validity_of_recevabilite(client, certifier, referentiel):
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    services.accept_eligibility(candidacy=candidacy, by=certifier)
    page = text(client.get(detail_url(candidacy)))
    assert "Recevable jusqu'au" in page
    assert fr.date(candidacy.eligible_until) in page
    assert "Demande déclarée recevable" in page
    assert "par Camille Martin (certificateur)" in page


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        (
            S.ELIGIBILITY_SUBMITTED,
            [T.ACCEPT_ELIGIBILITY, T.RETURN_ELIGIBILITY, T.REJECT_ELIGIBILITY, T.WITHDRAW],
        ),
        (S.DOSSIER_SUBMITTED, [T.START_REVIEW, T.RETURN_DOSSIER, T.WITHDRAW]),
        (S.UNDER_REVIEW, [T.COMPLETE_REVIEW, T.WITHDRAW]),
        (S.ELIGIBLE, [T.WITHDRAW]),
        (S.DRAFT, [T.WITHDRAW]),
        (S.INELIGIBLE, []),
        (S.WITHDRAWN, []),
    ],
)
def test_only_the_actions_the_state_allows_are_offered(
    client, certifier, referentiel, state, offered
):
    candidacy = make(state)
    response = client.get(detail_url(candidacy))
    assert [link.action.transition for link in response.context["actions"]] == offered
    page = text(response)
    for name, decision in ACTIONS.items():
        # Each offered action is a link to its confirmation step, none is a form here.
        assert (decide_url(candidacy, name) in page) == (name in offered)
        link = re.compile(rf"<a [^>]*>{re.escape(str(decision.label))}…</a>")
        assert bool(link.search(page)) == (name in offered)
    assert 'name="action"' not in page
    if not offered:
        assert f"Aucune décision n'est attendue de votre part à l'état « {state.label} »" in page


def test_the_actions_sit_at_the_top_of_the_candidacy_page(client, certifier, referentiel):
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    page = text(client.get(detail_url(candidacy)))
    actions = page.index('aria-labelledby="candidacy-actions-heading"')
    # Before the summary, livret 1 and the history: the first thing read, on any screen.
    history = page.index("data-panel-heading-text>Historique")
    assert actions < page.index('id="candidacy-summary-heading"') < history
    assert "Cette candidature attend une décision." in page
    assert "css/admin-candidacy.css" in page


def test_an_action_whose_guard_is_not_met_says_why_in_the_panel(client, certifier, referentiel):
    candidacy = make(S.DOSSIER_SUBMITTED)  # no evaluator assigned yet
    response = client.get(detail_url(candidacy))
    [start] = [link for link in response.context["actions"] if link.action.slug == "start_review"]
    assert start.refusal is not None and start.refusal.problems
    page = text(response)
    assert "Pas encore possible :" in page
    for problem in start.refusal.problems:
        assert problem in page


# -- the confirmation step ---------------------------------------------------------------

HAPPY_PATHS = [
    (T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "", S.ELIGIBLE),
    (T.ACCEPT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "Dossier clair.", S.ELIGIBLE),
    (T.RETURN_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "Précisez vos dates.", S.DRAFT),
    (T.REJECT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, "Moins d'un an d'expérience.", S.INELIGIBLE),
    (T.RETURN_DOSSIER, S.DOSSIER_SUBMITTED, "Ajoutez vos bulletins.", S.ELIGIBLE),
    (T.WITHDRAW, S.ELIGIBLE, "", S.WITHDRAWN),
    (T.WITHDRAW, S.ELIGIBILITY_SUBMITTED, "Plus de nouvelles depuis 6 mois.", S.WITHDRAWN),
]


@pytest.mark.parametrize(("action", "source", "comment", "target"), HAPPY_PATHS)
def test_each_decision_is_restated_then_confirmed_and_logs_one_row(
    client, certifier, referentiel, action, source, comment, target
):
    candidacy = make(source)
    # 1. The decision's page says what will happen and who is told, before anything.
    response = client.get(decide_url(candidacy, action))
    assert response.status_code == 200
    page = plain(response)
    assert f"« {source.label} » à l'état « {target.label} »" in page
    assert str(ACTIONS[action].effect) in page
    subject = str(notifications.TO_CANDIDATE[action].subject)
    assert f"recevra un e-mail intitulé « {subject} »" in page
    assert candidacy.candidate.email in page
    assert "Vérifier avant de confirmer" in page

    # 2. « Vérifier »: the confirmation page restates it with the comment; nothing written.
    response = check(client, candidacy, action, comment)
    assert response.status_code == 200
    assert response.context["confirming"] is True
    page = plain(response)
    assert f"Vérifiez avant de confirmer : {ACTIONS[action].label}" in page
    assert f"« {target.label} »" in page and subject in page
    if comment:
        assert comment in page
        assert "Votre commentaire y figurera." in page
    else:
        assert "Aucun commentaire." in page
    assert f"Confirmer : {ACTIONS[action].label}</button>" in text(response)
    assert Candidacy.objects.get(pk=candidacy.pk).state == source
    assert not CandidacyTransition.objects.filter(candidacy=candidacy).exists()

    # 3. « Confirmer »: the decision is taken, one row in the log.
    response = decide(client, candidacy, action, comment)
    assert response.status_code == 302
    assert response["Location"] == detail_url(candidacy)
    candidacy.refresh_from_db()
    assert candidacy.state == target
    entry = CandidacyTransition.objects.get(candidacy=candidacy)
    assert (entry.transition, entry.source_state, entry.target_state) == (action, source, target)
    assert entry.actor == certifier
    assert entry.actor_role == Role.CERTIFIER
    assert entry.comment == comment
    if action == T.ACCEPT_ELIGIBILITY:
        assert candidacy.eligible_until > timezone.localdate()
    page = text(client.get(detail_url(candidacy)))
    assert f"{candidacy.reference} : {action.label}." in page


def test_acceptance_announces_the_validity_date(client, certifier, referentiel, settings):
    settings.VAE_ELIGIBILITY_VALIDITY_DAYS = 30
    candidacy = make()
    expected = timezone.localdate() + datetime.timedelta(days=30)
    date = fr.date(expected)
    page = text(check(client, candidacy, T.ACCEPT_ELIGIBILITY, "Bienvenue."))
    assert f"La recevabilité sera valable jusqu'au {date}." in page
    decide(client, candidacy, T.ACCEPT_ELIGIBILITY, "Bienvenue.")
    assert Candidacy.objects.get(pk=candidacy.pk).eligible_until == expected


@pytest.mark.parametrize(
    ("action", "source", "final"),
    [
        (T.REJECT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, True),
        (T.WITHDRAW, S.DOSSIER_SUBMITTED, True),
        (T.RETURN_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED, False),
    ],
)
def test_a_final_decision_says_it_cannot_be_undone(
    client, certifier, referentiel, action, source, final
):
    page = text(check(client, make(source), action, "Un motif."))
    assert ("aucun retour en arrière n'est possible" in page) == final


def test_who_is_told_comes_from_the_notifications(client, certifier, referentiel):
    """The restated e-mail is the one sent: subject, lead and next step alike."""
    candidacy = make()
    page = text(check(client, candidacy, T.RETURN_ELIGIBILITY, "Ajoutez votre CV."))
    [notice] = notifications.notices(T.RETURN_ELIGIBILITY, actor_role=Role.CERTIFIER)
    for part in (notice.message.subject, notice.message.lead, notice.message.next_step):
        assert str(part) in page
    # A certifier's decision e-mails nobody but the candidate.
    assert "Les certificateurs" not in page


def test_modify_the_comment_goes_back_to_the_form_with_it(client, certifier, referentiel):
    candidacy = make()
    typed = "Précisez les dates\nde votre contrat chez Gaumont."
    response = check(client, candidacy, T.RETURN_ELIGIBILITY, typed, edit="1", confirm="on")
    assert response.status_code == 200
    assert response.context["confirming"] is False
    assert f">\n{typed}</textarea>" in text(response)
    assert not CandidacyTransition.objects.exists()


@pytest.mark.parametrize(
    ("action", "source"),
    [
        (T.RETURN_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED),
        (T.REJECT_ELIGIBILITY, S.ELIGIBILITY_SUBMITTED),
        (T.RETURN_DOSSIER, S.DOSSIER_SUBMITTED),
    ],
)
@pytest.mark.parametrize("step", [check, decide])
def test_missing_required_comment_is_refused_in_french(
    client, certifier, referentiel, action, source, step
):
    candidacy = make(source)
    response = step(client, candidacy, action, "   ")
    assert response.status_code == 200
    page = text(response)
    assert str(TRANSITIONS[action].comment_required) in page
    assert "n'a pas été enregistré" in page
    assert response.context["confirming"] is False  # back to the form, not confirmable
    candidacy.refresh_from_db()
    assert candidacy.state == source
    assert not CandidacyTransition.objects.filter(candidacy=candidacy).exists()


def test_state_machine_also_refuses_an_empty_motif(certifier, referentiel):
    candidacy = make()
    with pytest.raises(Exception, match="motif de non-recevabilité est obligatoire"):
        services.reject_eligibility(candidacy=candidacy, by=certifier, comment="")
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.ELIGIBILITY_SUBMITTED
    assert not CandidacyTransition.objects.exists()


def test_withdrawal_is_confirmed_first_and_keeps_the_comment(client, certifier, referentiel):
    candidacy = make(S.ELIGIBLE)
    response = check(client, candidacy, T.WITHDRAW, "Le candidat a renoncé par téléphone.")
    assert response.status_code == 200
    page = text(response)
    assert "C'est un état définitif" in page
    assert str(ACTIONS[T.WITHDRAW].effect) in page
    # Carried by the confirmation form, shown to be read again.
    assert 'name="comment" value="Le candidat a renoncé par téléphone."' in page
    assert "<blockquote" in page and "Le candidat a renoncé par téléphone." in page
    candidacy.refresh_from_db()
    assert candidacy.state == S.ELIGIBLE
    assert not CandidacyTransition.objects.exists()


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.DRAFT, T.ACCEPT_ELIGIBILITY),
        (S.ELIGIBLE, T.REJECT_ELIGIBILITY),
        (S.DOSSIER_SUBMITTED, T.ACCEPT_ELIGIBILITY),
        (S.ELIGIBILITY_SUBMITTED, T.RETURN_DOSSIER),
        (S.ELIGIBILITY_SUBMITTED, T.START_REVIEW),
        (S.DOSSIER_SUBMITTED, T.COMPLETE_REVIEW),
        (S.INELIGIBLE, T.RETURN_ELIGIBILITY),
        (S.WITHDRAWN, T.WITHDRAW),
    ],
)
@pytest.mark.parametrize("step", [check, decide])
def test_an_action_the_state_does_not_allow_is_refused(
    client, certifier, referentiel, state, action, step
):
    candidacy = make(state)
    message = f"la candidature est à l'état « {state.label} »"
    response = client.get(decide_url(candidacy, action))
    assert response.status_code == 200
    assert message in text(response)
    assert response.context["form"] is None  # nothing to fill in, nothing to confirm
    response = step(client, candidacy, action, "Un commentaire tapé.")
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Votre commentaire, qui n'a pas été enregistré" in page
    assert "Un commentaire tapé." in page
    candidacy.refresh_from_db()
    assert candidacy.state == state
    assert not CandidacyTransition.objects.exists()


def test_an_unknown_decision_is_404_and_the_page_itself_takes_no_post(
    client, certifier, referentiel
):
    candidacy = make()
    assert client.get(decide_url(candidacy, T.SUBMIT_ELIGIBILITY)).status_code == 404
    assert decide(client, candidacy, T.SUBMIT_ELIGIBILITY).status_code == 404
    assert decide(client, candidacy, "n-importe-quoi").status_code == 404
    # Decisions are taken on their confirmation step only.
    response = client.post(detail_url(candidacy), {"action": T.ACCEPT_ELIGIBILITY})
    assert response.status_code == 405
    assert_nothing_written(candidacy)


def test_two_certifiers_decide_at_once_through_the_service(referentiel):
    first, second = UserFactory(role=Role.CERTIFIER), UserFactory(role=Role.CERTIFIER)
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    seen_by_first = Candidacy.objects.get(pk=candidacy.pk)
    seen_by_second = Candidacy.objects.get(pk=candidacy.pk)
    services.accept_eligibility(candidacy=seen_by_first, by=first)
    with pytest.raises(ConcurrentDecision) as refusal:
        services.reject_eligibility(candidacy=seen_by_second, by=second, comment="Hors champ.")
    assert "modifiée par quelqu'un d'autre" in refusal.value.message
    assert "« Recevable »" in refusal.value.message
    assert seen_by_second.state == S.ELIGIBLE
    entry = CandidacyTransition.objects.get(candidacy=candidacy)
    assert (entry.actor, entry.transition) == (first, T.ACCEPT_ELIGIBILITY)
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.ELIGIBLE


@pytest.mark.parametrize("step", [check, decide])
def test_two_certifiers_decide_at_once_through_the_page(client, certifier, referentiel, step):
    colleague = Client()
    log_in(colleague, UserFactory(role=Role.CERTIFIER, first_name="Dominique"))
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    mine = client.get(detail_url(candidacy))
    theirs = colleague.get(detail_url(candidacy))
    response = decide(
        colleague, candidacy, T.ACCEPT_ELIGIBILITY, seen=seen_token(theirs, T.ACCEPT_ELIGIBILITY)
    )
    assert response.status_code == 302
    response = step(
        client,
        candidacy,
        T.REJECT_ELIGIBILITY,
        "Expérience hors du champ.",
        seen=seen_token(mine, T.REJECT_ELIGIBILITY),
    )
    assert response.status_code == 409
    page = text(response)
    assert "modifiée par quelqu'un d'autre pendant que vous la consultiez" in page
    assert "maintenant à l'état « Recevable »" in page
    assert "Demande déclarée recevable par Dominique" in page
    assert "Expérience hors du champ." in page  # what was typed is not lost
    assert response.context["candidacy"].state == S.ELIGIBLE
    entry = CandidacyTransition.objects.get(candidacy=candidacy)
    assert entry.transition == T.ACCEPT_ELIGIBILITY
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.ELIGIBLE


def test_the_token_of_the_candidacy_page_reaches_the_confirmation(client, certifier, referentiel):
    """The decision's page keeps the version the certifier read on the candidacy's page."""
    colleague = UserFactory(role=Role.CERTIFIER)
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    [link] = [
        link
        for link in client.get(detail_url(candidacy)).context["actions"]
        if link.action.slug == T.ACCEPT_ELIGIBILITY
    ]
    services.return_eligibility(candidacy=candidacy, by=colleague, comment="Ajoutez un CV.")
    services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    form = client.get(link.url).context["form"]
    response = check(client, candidacy, T.ACCEPT_ELIGIBILITY, seen=form["seen"].value())
    assert response.status_code == 409
    assert CandidacyTransition.objects.filter(candidacy=candidacy).count() == 2


def test_a_race_at_the_moment_of_writing_is_caught_by_the_page(
    client, certifier, referentiel, monkeypatch
):
    """The colleague's decision lands between our read and our write."""
    colleague = UserFactory(role=Role.CERTIFIER)
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    token = seen_token(client.get(detail_url(candidacy)), T.REJECT_ELIGIBILITY)
    original = services.check_not_stale

    def colleague_decides_meanwhile(*, candidacy, seen):
        original(candidacy=candidacy, seen=seen)
        other = Candidacy.objects.get(pk=candidacy.pk)
        services.accept_eligibility(candidacy=other, by=colleague)

    monkeypatch.setattr(services, "check_not_stale", colleague_decides_meanwhile)
    response = decide(client, candidacy, T.REJECT_ELIGIBILITY, "Hors champ.", seen=token)
    assert response.status_code == 409
    page = text(response)
    assert "modifiée par quelqu'un d'autre" in page
    assert "Hors champ." in page
    entry = CandidacyTransition.objects.get(candidacy=candidacy)
    assert (entry.actor, entry.transition) == (colleague, T.ACCEPT_ELIGIBILITY)


def test_a_stale_page_after_a_return_and_resubmission_is_detected(client, certifier, referentiel):
    """Same state as when the page was shown, but a colleague acted in between."""
    colleague = UserFactory(role=Role.CERTIFIER)
    candidacy = make(S.ELIGIBILITY_SUBMITTED)
    token = seen_token(client.get(detail_url(candidacy)), T.ACCEPT_ELIGIBILITY)
    services.return_eligibility(candidacy=candidacy, by=colleague, comment="Ajoutez un CV.")
    services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    response = decide(client, candidacy, T.ACCEPT_ELIGIBILITY, "Vu le CV.", seen=token)
    assert response.status_code == 409
    assert CandidacyTransition.objects.filter(candidacy=candidacy).count() == 2
    # The form shown again keeps the comment and carries the new version: the next try
    # goes through (and is confirmed, like any other).
    form = response.context["form"]
    assert form["comment"].value() == "Vu le CV."
    assert "Vu le CV.</textarea>" in text(response)
    new_token = form["seen"].value()
    assert new_token != token
    assert check(client, candidacy, T.ACCEPT_ELIGIBILITY, seen=new_token).status_code == 200
    response = decide(client, candidacy, T.ACCEPT_ELIGIBILITY, "Vu le CV.", seen=new_token)
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.ELIGIBLE


def test_a_certifier_cannot_decide_on_their_own_candidacy(client, certifier, referentiel):
    certifier.groups.add(*UserFactory(role=Role.CANDIDATE).groups.all())
    candidacy = make(S.ELIGIBILITY_SUBMITTED, candidate=certifier)
    response = client.get(detail_url(candidacy))
    assert response.status_code == 200
    assert response.context["actions"] == []
    assert "C'est votre propre candidature" in text(response)
    for action in (T.ACCEPT_ELIGIBILITY, T.WITHDRAW):
        response = client.get(decide_url(candidacy, action))
        assert "votre propre candidature" in text(response)
        assert response.context["form"] is None
        for step in (check, decide):
            response = step(client, candidacy, action, "Moi-même.")
            assert response.status_code == 200
            assert "votre propre candidature" in text(response)
            assert "Moi-même." in text(response)
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.ELIGIBILITY_SUBMITTED
    assert not CandidacyTransition.objects.exists()


def test_a_superuser_without_role_acts_as_certifier(client, referentiel):
    admin = UserFactory(is_staff=True, is_superuser=True)
    log_in(client, admin)
    candidacy = make()
    assert client.get(reverse(LIST)).status_code == 200
    assert decide(client, candidacy, T.ACCEPT_ELIGIBILITY).status_code == 302
    entry = CandidacyTransition.objects.get(candidacy=candidacy)
    assert (entry.actor, entry.actor_role) == (admin, Role.CERTIFIER)


# -- who gets in ----------------------------------------------------------------------


def assert_nothing_written(candidacy):
    assert Candidacy.objects.get(pk=candidacy.pk).state == S.ELIGIBILITY_SUBMITTED
    assert not CandidacyTransition.objects.exists()


def test_anonymous_is_sent_to_the_admin_login(client, referentiel):
    candidacy = make()
    for url in (reverse(LIST), detail_url(candidacy), decide_url(candidacy, T.WITHDRAW)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())
    for step in (check, decide):
        response = step(client, candidacy, T.ACCEPT_ELIGIBILITY)
        assert response["Location"].startswith(admin_login_url())
    assert_nothing_written(candidacy)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_non_staff_roles_never_reach_the_back_office(client, referentiel, role):
    candidacy = make()
    # The candidate of this very candidacy included.
    user = candidacy.candidate if role == Role.CANDIDATE else UserFactory(role=role)
    log_in(client, user)
    for url in (reverse(LIST), detail_url(candidacy), decide_url(candidacy, T.WITHDRAW)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(admin_login_url())
    for step in (check, decide):
        assert step(client, candidacy, T.WITHDRAW).status_code == 302
        assert step(client, candidacy, T.ACCEPT_ELIGIBILITY).status_code == 302
    assert_nothing_written(candidacy)


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER, None])
def test_staff_who_are_not_certifiers_are_refused(client, referentiel, role):
    candidacy = make()
    log_in(client, staff_user(role))
    for url in (
        reverse(LIST),
        detail_url(candidacy),
        reverse("candidacy_admin:list_results"),
        decide_url(candidacy, T.ACCEPT_ELIGIBILITY),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    for step in (check, decide):
        response = step(client, candidacy, T.ACCEPT_ELIGIBILITY)
        assert response["Location"] == reverse("wagtailadmin_home")
    assert_nothing_written(candidacy)
    # Refused before the lookup: a refused user cannot probe which files exist, nor
    # which decisions exist.
    for missing in (
        reverse("candidacy_admin:detail", args=[999999]),
        reverse("candidacy_admin:decide", args=[999999, T.ACCEPT_ELIGIBILITY]),
        reverse("candidacy_admin:decide", args=[candidacy.pk, "n-importe-quoi"]),
    ):
        assert client.get(missing)["Location"] == reverse("wagtailadmin_home")


def test_unknown_candidacy_is_404(client, certifier, referentiel):
    missing = reverse("candidacy_admin:detail", args=[999999])
    assert client.get(missing).status_code == 404
    assert client.post(missing, {"action": T.ACCEPT_ELIGIBILITY}).status_code == 404
    missing = reverse("candidacy_admin:decide", args=[999999, T.ACCEPT_ELIGIBILITY])
    assert client.get(missing).status_code == 404
    assert client.post(missing, {"confirm": "on"}).status_code == 404


def test_the_candidacy_page_shows_livret_2_to_the_certifier(client, referentiel):
    from vae.enums import CandidacyState

    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = client.get(reverse("candidacy_admin:detail", args=[candidacy.pk])).content.decode()
    assert "26 compétences sur 26" in page
    assert reverse("livret:dossier_pdf_download", args=[candidacy.pk]) in page
    evidence = candidacy.dossier.evidence.get()
    assert reverse("livret:evidence_file", args=[candidacy.pk, evidence.pk]) in page
    # ...and the certifier may indeed download the export (once rendered) and the file.
    pdf = get_pdf(client, reverse("livret:dossier_pdf_download", args=[candidacy.pk]))
    assert pdf.status_code == 200
    assert pdf_bytes(pdf).startswith(b"%PDF-")
    served = client.get(reverse("livret:evidence_file", args=[candidacy.pk, evidence.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF-")


# -- the list's order and bloc filter at scale (issue 11) ----------------------------------


def test_awaiting_decision_is_kept_with_the_state_through_transitions(
    client, certifier, referentiel
):
    other = make(S.ELIGIBLE)
    set_dates(other, changed=at(2026, 3, 1))
    candidacy = make(S.DRAFT)
    set_dates(candidacy, changed=at(2026, 1, 1))
    candidacy.refresh_from_db()
    assert not candidacy.awaiting_decision
    assert listed(client.get(reverse(LIST))) == [other.pk, candidacy.pk]

    services.run_transition(candidacy=candidacy, name=T.SUBMIT_ELIGIBILITY, by=candidacy.candidate)
    assert Candidacy.objects.get(pk=candidacy.pk).awaiting_decision
    assert listed(client.get(reverse(LIST))) == [candidacy.pk, other.pk]

    services.run_transition(candidacy=candidacy, name=T.ACCEPT_ELIGIBILITY, by=certifier)
    assert not Candidacy.objects.get(pk=candidacy.pk).awaiting_decision
    # Its state changed last: first of the others.
    assert listed(client.get(reverse(LIST))) == [candidacy.pk, other.pk]
    set_dates(candidacy, changed=at(2026, 2, 1))
    assert listed(client.get(reverse(LIST))) == [other.pk, candidacy.pk]


@pytest.mark.parametrize("state", list(S))
def test_awaiting_decision_matches_the_state_sets(referentiel, state):
    from vae.enums import AWAITING_DECISION

    candidacy = make(state)
    assert Candidacy.objects.get(pk=candidacy.pk).awaiting_decision == (state in AWAITING_DECISION)


def test_the_list_is_ordered_by_the_indexed_column(client, certifier, referentiel):
    make()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(LIST))
    (listing,) = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "vae_candidacy"' in q["sql"] and "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]
    ]
    order = listing.split("ORDER BY")[1]
    assert "awaiting_decision" in order
    assert "CASE" not in order


def test_bloc_filter_is_an_exists_subquery_with_the_join_s_rows(client, certifier, referentiel):
    bc1, bc2, bc3 = (referentiel.blocs.get(code=code) for code in ("BC1", "BC2", "BC3"))
    made = []
    for blocs in ([bc1], [bc3], [bc1, bc3], [bc2], [bc1, bc2, bc3], []):
        candidacy = make()
        candidacy.targeted_blocs.set(blocs)
        made.append(candidacy)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(LIST), {"bloc": ["BC1", "BC3"]})
    rows = listed(response)
    joined = (
        Candidacy.objects.filter(targeted_blocs__code__in=["BC1", "BC3"])
        .values_list("pk", flat=True)
        .distinct()
    )
    assert sorted(rows) == sorted(joined)
    assert len(rows) == len(set(rows)) == 4
    sql = " ".join(q["sql"] for q in queries.captured_queries if 'FROM "vae_candidacy"' in q["sql"])
    assert "EXISTS" in sql
    assert "DISTINCT" not in sql
