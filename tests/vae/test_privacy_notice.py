"""The privacy notice: a Wagtail page the certifier edits, created by the site set-up,
linked from every page's footer and from the sign-up form; and the retention policy the
certifier sets in the back office."""

import pytest
from django.urls import reverse
from wagtail.models import GroupPagePermission

from referentiel.models import PrivacyPage
from referentiel.site_setup import ensure_site_pages
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role
from vae.models import RetentionPolicy

pytestmark = pytest.mark.django_db


def settings_url() -> str:
    return reverse(
        "wagtailsettings:edit", args=["vae", "retentionpolicy", RetentionPolicy.load().pk]
    )


def test_the_site_setup_creates_one_published_notice_and_leaves_an_edited_one(site_pages):
    page = PrivacyPage.objects.get()
    assert page.live and page.title == "Politique de confidentialité"
    assert "CNIL" in page.body
    page.body = "<p>Texte revu par le certificateur.</p>"
    page.save_revision().publish()

    ensure_site_pages()

    assert PrivacyPage.objects.count() == 1
    assert PrivacyPage.objects.get().body == "<p>Texte revu par le certificateur.</p>"


def test_the_notice_is_served_and_linked_from_the_footer_and_the_sign_up_form(client, site_pages):
    link = reverse("privacy_notice")
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == PrivacyPage.objects.get().url
    notice = client.get(response["Location"])
    assert notice.status_code == 200
    assert "Vos droits" in notice.content.decode()
    for page in ("/", reverse("accounts:signup"), reverse("accounts:login")):
        assert f'href="{link}"' in client.get(page).content.decode(), page


def test_the_link_answers_404_while_the_notice_is_unpublished(client, site_pages):
    PrivacyPage.objects.get().unpublish()
    assert client.get(reverse("privacy_notice")).status_code == 404


def test_the_link_answers_404_before_the_site_is_set_up(client, db):
    assert client.get(reverse("privacy_notice")).status_code == 404


def test_the_certifier_can_edit_the_notice(client, site_pages):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = PrivacyPage.objects.get()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


def test_a_certifier_named_after_the_page_tree_was_rebuilt_can_edit_it(client, site_pages):
    """After a flush the groups are recreated before the page tree: naming a certifier grants
    the group its page permissions on the tree as it is now."""
    GroupPagePermission.objects.all().delete()
    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = PrivacyPage.objects.get()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


def test_the_certifier_sets_the_retention_policy(client, referentiel):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    assert client.get(settings_url()).status_code == 200
    response = client.post(settings_url(), {"evidence_years": "3", "identity_years": "12"})
    assert response.status_code == 302
    policy = RetentionPolicy.load()
    assert (policy.evidence_years, policy.identity_years) == (3, 12)


@pytest.mark.parametrize("value", ["0", "²", "-1", "", "99999999999999999999"])
def test_an_odd_retention_period_is_refused_with_a_message(client, referentiel, value):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    response = client.post(settings_url(), {"evidence_years": value, "identity_years": "12"})
    assert response.status_code == 200
    assert RetentionPolicy.load().evidence_years == 2


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_cannot_change_the_policy(client, referentiel, role):
    log_in(client, UserFactory(role=role))
    response = client.post(settings_url(), {"evidence_years": "1", "identity_years": "1"})
    assert response.status_code in (302, 403)
    assert RetentionPolicy.load().evidence_years == 2


def test_anonymous_cannot_reach_the_policy(client, referentiel):
    response = client.get(settings_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
