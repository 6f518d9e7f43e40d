"""The certifier's « À traiter » panel: each count with candidacies inside and outside its
kind, counted in one query, each link listing exactly what was counted, the SQL reading
of the rules agreeing with the Python one, and the panel for certifiers only."""

import copy
import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from portal.todo import CATEGORIES, filter_candidacies, todo_lines
from portal.wagtail_hooks import drop_site_summary
from review import queries, rules, services
from review.enums import AssignmentStatus
from review.models import Assignment, ConsolidatedRating
from tests.accounts import log_in
from tests.database import load_referentiel, shared_rows
from tests.factories import (
    CandidacyFactory,
    UserFactory,
    make_panel,
)
from vae.enums import CandidacyState, Role
from vae.models import Candidacy

pytestmark = pytest.mark.django_db

S = CandidacyState
KEYS = [category.key for category in CATEGORIES]


def text(response) -> str:
    return unescape(response.content.decode())


def end(assignment, status):
    assignment.status = status
    assignment.ended_at = timezone.now()
    assignment.save()


def build_scenario():
    """Candidacies in every kind of work, and next to each kind one that is just outside
    it. Returns key -> the candidacies of that kind, every candidacy by name, and the
    certifier who reads the panel."""
    load_referentiel()
    certifier = UserFactory(role=Role.CERTIFIER)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    c = {}
    # Recevabilité: submitted (in) and still a draft (out).
    c["eligibility"] = CandidacyFactory(eligibility_submitted=True)
    c["eligibility_2"] = CandidacyFactory(eligibility_submitted=True)
    c["draft"] = CandidacyFactory()
    # The certifier's own candidacy waits for someone else's decision, not theirs.
    own = CandidacyFactory(eligibility_submitted=True, candidate=certifier)
    c["own"] = own
    # Dossier submitted, nobody assigned.
    c["no_panel"] = CandidacyFactory(dossier_submitted=True)
    # Dossier submitted, a seat emptied by a declared conflict; under review, a seat
    # emptied by a removal.
    c["conflict"] = CandidacyFactory(state=S.DOSSIER_SUBMITTED)
    end(make_panel(c["conflict"])[1], AssignmentStatus.CONFLICT)
    c["removed"] = CandidacyFactory(state=S.UNDER_REVIEW)
    end(make_panel(c["removed"])[3], AssignmentStatus.REMOVED)
    # A conflict whose seat was filled again: nothing left to do about it.
    c["replaced"] = CandidacyFactory(state=S.DOSSIER_SUBMITTED)
    panel = make_panel(c["replaced"], declared=False)
    end(panel[0], AssignmentStatus.CONFLICT)
    Assignment.objects.create(
        candidacy=c["replaced"],
        evaluator=UserFactory(role=Role.EVALUATOR),
        category=panel[0].category,
        assigned_by=certifier,
    )
    # Complete panel, every declaration made: the review can start. Declarations still
    # awaited: the evaluators have the next move, not the certifier.
    c["ready_to_start"] = CandidacyFactory(panel_ready=True)
    c["awaiting_declarations"] = c["replaced"]
    # Under review: a grid past its due date (in); due today, or late but submitted (out).
    c["late"] = CandidacyFactory(under_review=True)
    late_seat = Assignment.objects.filter(candidacy=c["late"]).order_by("pk")[2]
    Assignment.objects.filter(pk=late_seat.pk).update(due_date=yesterday)
    c["due_today"] = CandidacyFactory(under_review=True)
    Assignment.objects.filter(candidacy=c["due_today"]).update(due_date=timezone.localdate())
    c["late_but_submitted"] = CandidacyFactory(grids_submitted=True)
    Assignment.objects.filter(candidacy=c["late_but_submitted"]).update(due_date=yesterday)
    # Every compétence consolidated (in); one missing (out); consolidated but the review
    # already closed (out).
    c["to_close"] = CandidacyFactory(review_consolidated=True)
    c["partly_consolidated"] = CandidacyFactory(review_consolidated=True)
    ConsolidatedRating.objects.filter(candidacy=c["partly_consolidated"]).first().delete()
    c["reviewed"] = CandidacyFactory(reviewed=True)
    expected = {
        "eligibility": {c["eligibility"], c["eligibility_2"]},
        "no_panel": {c["no_panel"]},
        "panel_incomplete": {c["conflict"], c["removed"]},
        "ready_to_start": {c["ready_to_start"]},
        "grid_late": {c["late"]},
        "ready_to_close": {c["to_close"]},
    }
    return expected, c, certifier


class TestOneScenario:
    """The tests that read the scenario: built once for all of them (about 6 s), each test
    working on its own copy, its writes rolled back (``tests.database.shared_rows``)."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, django_db_setup, django_db_blocker):
        with shared_rows(django_db_blocker, build_scenario) as built:
            yield built

    @pytest.fixture
    def scenario(self, built, db):
        expected, c, _certifier = copy.deepcopy(built)
        return expected, c

    @pytest.fixture
    def certifier(self, built, db):
        return copy.deepcopy(built[2])

    def test_each_count_holds_exactly_its_candidacies(self, scenario, certifier):
        expected, _c = scenario
        lines = {line.category.key: line for line in todo_lines(certifier)}
        assert list(lines) == KEYS
        for key in KEYS:
            assert lines[key].count == len(expected[key]), key
            assert (
                set(filter_candidacies(Candidacy.objects.all(), key, user=certifier))
                == (expected[key])
            ), key

    def test_the_whole_panel_is_one_query(self, scenario, certifier, django_assert_num_queries):
        with django_assert_num_queries(1):
            lines = todo_lines(certifier)
        assert sum(line.count for line in lines) == 8

    def test_a_certifier_own_candidacy_is_not_their_work(self, scenario, certifier):
        _expected, c = scenario
        other = UserFactory(role=Role.CERTIFIER)
        counts = {line.category.key: line.count for line in todo_lines(other)}
        assert counts["eligibility"] == 3
        mine = filter_candidacies(Candidacy.objects.all(), "eligibility", user=certifier)
        assert c["own"] not in set(mine)

    def test_links_go_to_the_filtered_list_or_to_the_one_candidacy(self, scenario, certifier):
        expected, _c = scenario
        lines = {line.category.key: line for line in todo_lines(certifier)}
        assert lines["eligibility"].url == reverse("candidacy_admin:list") + "?todo=eligibility"
        assert lines["eligibility"].reference == ""
        assert lines["eligibility"].label == "recevabilités à examiner"
        (alone,) = expected["no_panel"]
        assert lines["no_panel"].url == reverse("review_admin:panel", args=[alone.pk])
        assert lines["no_panel"].reference == alone.reference
        assert lines["no_panel"].label == "dossier déposé sans jury d'évaluation"

    @pytest.mark.parametrize("key", KEYS)
    def test_the_list_link_shows_exactly_what_was_counted(self, client, scenario, certifier, key):
        expected, _c = scenario
        log_in(client, certifier)
        response = client.get(reverse("candidacy_admin:list"), {"todo": key})
        assert response.status_code == 200
        assert listed_pks(response) == {candidacy.pk for candidacy in expected[key]}
        fragment = client.get(reverse("candidacy_admin:list_results"), {"todo": key})
        assert listed_pks(fragment) == {candidacy.pk for candidacy in expected[key]}

    def test_sql_reading_agrees_with_the_rules(self, scenario):
        """The SQL conditions of ``review.queries`` give, candidacy by candidacy, what the
        Python rules the guards apply give."""
        _expected, c = scenario
        candidacies = set(c.values())
        differs = set(Candidacy.objects.filter(queries.composition_differs()))
        grids_in = set(Candidacy.objects.filter(queries.all_grids_in()))
        complete = set(Candidacy.objects.filter(queries.consolidation_complete()))
        for candidacy in candidacies:
            holding = Assignment.objects.holding().filter(candidacy=candidacy)
            categories = [a.category for a in holding]
            assert (candidacy in differs) == bool(
                rules.composition_problems(candidacy, categories)
            ), candidacy
            assert (candidacy in grids_in) == services.all_grids_submitted(candidacy), candidacy
            assert (candidacy in complete) == (not rules.consolidation_problems(candidacy)), (
                candidacy
            )
        # Both sides of each reading occur in the scenario.
        assert differs and candidacies - differs
        assert grids_in and candidacies - grids_in
        assert complete and candidacies - complete

    def test_certifier_home_shows_the_panel_first_and_no_page_count(
        self, client, scenario, certifier
    ):
        expected, _c = scenario
        log_in(client, certifier)
        page = text(client.get(reverse("wagtailadmin_home")))
        assert 'id="a-traiter-heading"' in page
        assert '<span class="todo-line__count">2</span> recevabilités à examiner' in page
        assert f'href="{reverse("candidacy_admin:list")}?todo=eligibility"' in page
        (alone,) = expected["ready_to_close"]
        assert f'href="{reverse("review_admin:panel", args=[alone.pk])}"' in page
        assert f"({alone.reference})" in page
        assert "Rien à traiter :" not in page
        # Wagtail's « N Pages » summary is gone; the panel's style sheet is loaded.
        assert "w-summary" not in page
        assert "css/admin-todo.css" in page

    def test_other_admin_users_get_neither_the_panel_nor_the_candidacies(
        self, client, rf, scenario
    ):
        editor = UserFactory(is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        log_in(client, editor)
        page = text(client.get(reverse("wagtailadmin_home")))
        assert "a-traiter" not in page
        assert "admin-todo.css" not in page
        # They keep Wagtail's site summary.
        request = rf.get("/admin/")
        request.user = editor
        items = ["pages"]
        drop_site_summary(request, items)
        assert items == ["pages"]
        response = client.get(reverse("candidacy_admin:list"), {"todo": "eligibility"})
        assert response.status_code in (302, 403)
        assert not listed_pks(response)


def test_one_query_without_any_candidacy(referentiel, certifier, django_assert_num_queries):
    with django_assert_num_queries(1):
        lines = todo_lines(certifier)
    assert [line.count for line in lines] == [0] * len(KEYS)


def listed_pks(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/admin/candidatures/(\d+)/"', text(response))}


def test_the_list_filter_offers_every_kind_of_work(client, referentiel, certifier):
    log_in(client, certifier)
    page = text(client.get(reverse("candidacy_admin:list")))
    assert "À traiter" in page
    for category in CATEGORIES:
        assert f'value="{category.key}"' in page
        assert category.title in page


def test_too_many_evaluators_on_a_seat_is_a_composition_problem(referentiel, certifier):
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    panel = make_panel(candidacy)
    Assignment.objects.create(
        candidacy=candidacy,
        evaluator=UserFactory(role=Role.EVALUATOR),
        category=panel[2].category,
        assigned_by=certifier,
        status=AssignmentStatus.ACTIVE,
    )
    assert rules.composition_problems(
        candidacy, [a.category for a in Assignment.objects.holding().filter(candidacy=candidacy)]
    )
    assert Candidacy.objects.filter(queries.composition_differs()).get() == candidacy
    counts = {line.category.key: line.count for line in todo_lines(certifier)}
    assert counts["panel_incomplete"] == 1


# -- the panel on the admin home ------------------------------------------------------


def test_nothing_to_do_is_said_once_and_every_kind_still_listed(client, referentiel, certifier):
    log_in(client, certifier)
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "Rien à traiter : aucune candidature n'attend d'action de votre part." in page
    for category in CATEGORIES:
        assert f"{category.title}</span> : rien à traiter." in page
    assert "?todo=" not in page


def test_superuser_gets_the_panel(client, referentiel):
    log_in(client, UserFactory(is_superuser=True, is_staff=True))
    assert 'id="a-traiter-heading"' in text(client.get(reverse("wagtailadmin_home")))
