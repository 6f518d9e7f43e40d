"""Every role lands on its work: the landing after login, the header's entries per role
(several roles included), the other spaces from the admin."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.accounts import log_in, verify_second_factor
from tests.factories import UserFactory
from vae import navigation
from vae.enums import Role
from vae.models import User
from vae.roles import assign_role

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-test"


def text(response) -> str:
    return unescape(response.content.decode())


def user_with(*roles, **fields):
    user = UserFactory(**fields)
    for role in roles:
        assign_role(user, role)
    return user


def account_menu(page: str) -> list[tuple[str, str]]:
    """(label, aria-current) of each link of the header's « Mon compte » navigation."""
    nav = re.search(r'<nav class="container" aria-label="Mon compte">(.*?)</nav>', page, re.S)
    assert nav, "no « Mon compte » navigation in the page"
    return [
        (label, current or "")
        for current, label in re.findall(
            r'<a href="[^"]*"(?: aria-current="([^"]*)")?>([^<]*)</a>', nav.group(1)
        )
    ]


# -- landing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "destination"),
    [
        ((Role.CANDIDATE,), "candidacy:dashboard"),
        ((Role.EVALUATOR,), "review:workspace"),
        ((Role.JURY_MEMBER,), "jury:home"),
        ((Role.CERTIFIER,), "wagtailadmin_home"),
        # Several roles: the work that waits on others first.
        ((Role.CERTIFIER, Role.EVALUATOR), "wagtailadmin_home"),
        ((Role.CERTIFIER, Role.CANDIDATE), "wagtailadmin_home"),
        ((Role.CANDIDATE, Role.EVALUATOR), "review:workspace"),
        ((Role.EVALUATOR, Role.JURY_MEMBER), "review:workspace"),
        ((Role.CANDIDATE, Role.JURY_MEMBER), "jury:home"),
    ],
)
def test_login_lands_on_the_work_that_waits_first(client, roles, destination):
    user = user_with(*roles)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:home")
    if Role.CERTIFIER in roles:
        # Their second step (tests/vae/test_two_factor.py) comes before any space.
        verify_second_factor(client, user)
    assert client.get(reverse("accounts:home"))["Location"] == reverse(destination)


def test_superuser_without_role_lands_in_the_admin(client):
    log_in(client, UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("accounts:home"))["Location"] == reverse("wagtailadmin_home")


def test_page_editor_without_role_lands_in_the_admin(client):
    # Wagtail lets in whoever holds the permission: a staff editor of the public pages.
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, editor)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("wagtailadmin_home")


def test_the_admin_permission_alone_does_not_make_a_candidate_staff(client):
    candidate = user_with(Role.CANDIDATE)
    candidate.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, candidate)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("candidacy:dashboard")


@pytest.mark.parametrize(
    "roles",
    [(Role.CANDIDATE,), (Role.EVALUATOR, Role.JURY_MEMBER), (Role.CERTIFIER, Role.EVALUATOR), ()],
)
def test_header_entries_cost_one_query(roles, django_assert_num_queries):
    user = User.objects.get(pk=user_with(*roles).pk)  # a fresh object: nothing cached
    with django_assert_num_queries(1):
        navigation.header_entries(user, "/")


def test_user_without_role_gets_a_page_that_says_so(client):
    log_in(client, UserFactory(first_name="Nina", last_name="Roux"))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Mon espace</h1>" in page
    assert "Bonjour Nina Roux." in page
    assert "Aucun rôle ne vous est encore attribué" in page
    assert '<a href="mailto:vae@localhost">vae@localhost</a>' in page
    assert account_menu(page) == [("Mon espace", "page"), ("Mon profil", "")]


def test_inactive_user_is_treated_as_logged_out(client):
    log_in(client, user_with(Role.CERTIFIER, is_active=False))
    response = client.get(reverse("accounts:home"))
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:home')}"


def test_inactive_user_holds_no_space():
    user = user_with(Role.CERTIFIER, Role.EVALUATOR, is_active=False)
    assert navigation.spaces(user) == []
    assert navigation.landing(user) is None
    assert navigation.header_entries(user, "/") == []


def test_next_still_wins_over_the_landing(client):
    user = user_with(Role.EVALUATOR)
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD, "next": reverse("accounts:profile")},
    )
    assert response["Location"] == reverse("accounts:profile")


# -- header ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "labels"),
    [
        ((Role.CANDIDATE,), ["Ma candidature"]),
        ((Role.EVALUATOR,), ["Mes dossiers à évaluer"]),
        ((Role.JURY_MEMBER,), ["Jury"]),
        ((Role.CERTIFIER,), ["Administration"]),
        (
            (Role.CERTIFIER, Role.JURY_MEMBER, Role.EVALUATOR, Role.CANDIDATE),
            ["Ma candidature", "Mes dossiers à évaluer", "Jury", "Administration"],
        ),
        ((Role.EVALUATOR, Role.CANDIDATE), ["Ma candidature", "Mes dossiers à évaluer"]),
    ],
)
def test_header_has_one_entry_per_role_held(client, roles, labels):
    log_in(client, user_with(*roles))
    page = text(client.get(reverse("accounts:profile")))
    assert account_menu(page) == [
        *((label, "") for label in labels),
        ("Mon profil", "page"),
    ]
    assert "Se déconnecter" in page


def test_header_entries_link_to_each_space(client):
    log_in(client, user_with(Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER))
    page = text(client.get(reverse("accounts:profile")))
    for url, label in [
        (reverse("candidacy:dashboard"), "Ma candidature"),
        (reverse("review:workspace"), "Mes dossiers à évaluer"),
        (reverse("jury:home"), "Jury"),
    ]:
        assert f'<a href="{url}">{label}</a>' in page


def test_header_marks_the_current_section(client):
    log_in(client, user_with(Role.CANDIDATE, Role.EVALUATOR))
    workspace = text(client.get(reverse("review:workspace")))
    assert account_menu(workspace) == [
        ("Ma candidature", ""),
        ("Mes dossiers à évaluer", "page"),
        ("Mon profil", ""),
    ]
    email_change = text(client.get(reverse("accounts:email_change")))
    assert account_menu(email_change)[-1] == ("Mon profil", "true")


def test_staff_without_admin_permission_gets_no_administration_entry(client):
    # Wagtail would refuse them: the entry would lead to the login page.
    log_in(client, user_with(Role.EVALUATOR, is_staff=True))
    page = text(client.get(reverse("accounts:profile")))
    assert "Administration" not in [label for label, _ in account_menu(page)]


def test_anonymous_header_offers_signup_and_login(client):
    page = text(client.get(reverse("accounts:login")))
    assert account_menu(page) == [("Créer un compte", ""), ("Se connecter", "")]


def test_section_matching():
    space = navigation.Space("evaluation", "Mes dossiers à évaluer", "/evaluation/")
    assert space.current("/evaluation/") == "page"
    assert space.current("/evaluation/affectations/3/grille/") == "true"
    assert space.current("/evaluations/") == ""
    assert space.current("/") == ""
    home = navigation.Space("home", "Mon espace", "/compte/", exact=True)
    assert home.current("/compte/") == "page"
    assert home.current("/compte/profil/") == ""


# -- the admin reaches the other spaces -------------------------------------------------


def test_certifier_who_evaluates_reaches_the_workspace_from_the_admin(client):
    log_in(client, user_with(Role.CERTIFIER, Role.EVALUATOR))
    page = text(client.get(reverse("wagtailadmin_home")))
    # The sidebar is built from JSON: each item's url is a JSON string.
    assert '"name": "mes-espaces", "label": "Mes autres espaces"' in page
    assert f'"url": "{reverse("review:workspace")}"' in page
    assert f'"url": "{reverse("jury:home")}"' not in page


def test_plain_certifier_has_no_other_spaces_menu(client):
    log_in(client, user_with(Role.CERTIFIER))
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "Mes autres espaces" not in page
    assert f'"url": "{reverse("review:workspace")}"' not in page
