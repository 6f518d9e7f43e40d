"""The référentiel in the Wagtail admin: drafts are editable, published versions are not."""

from html import unescape

import pytest
from django.urls import reverse

from referentiel.enums import VersionStatus
from referentiel.models import Activity, Certification
from referentiel.services import create_draft_from
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def certifier(client):
    user = UserFactory(role=Role.CERTIFIER)
    log_in(client, user)
    return user


def edit_url(obj):
    return reverse(f"wagtailsnippets_referentiel_{obj._meta.model_name}:edit", args=[obj.pk])


def inspect_url(obj):
    return reverse(f"wagtailsnippets_referentiel_{obj._meta.model_name}:inspect", args=[obj.pk])


def activity_form(activity, **changes):
    data = {
        "bloc": activity.bloc_id,
        "code": activity.code,
        "sort_order": activity.sort_order,
        "title": activity.title,
    }
    data.update(changes)
    return data


LIST_URL = "wagtailsnippets_referentiel_certification:list"


def test_anonymous_is_sent_to_the_login_page(client, referentiel):
    response = client.get(reverse(LIST_URL))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_non_staff_roles_never_reach_the_admin(client, referentiel, role):
    log_in(client, UserFactory(role=role))
    response = client.get(reverse(LIST_URL))
    assert response.status_code in (302, 403)
    activity = Activity.objects.first()
    response = client.post(edit_url(activity), activity_form(activity, title="Piratage"))
    assert response.status_code in (302, 403)
    activity.refresh_from_db()
    assert activity.title != "Piratage"


def test_certifier_lists_versions_and_inspects_a_published_one(client, certifier, referentiel):
    response = client.get(reverse(LIST_URL))
    assert response.status_code == 200
    assert "Publiée" in response.content.decode()
    bloc = referentiel.blocs.get(code="BC1")
    response = client.get(inspect_url(bloc))
    assert response.status_code == 200
    assert bloc.title in response.content.decode()


def test_published_version_cannot_be_edited_in_the_admin(client, certifier, referentiel):
    activity = Activity.objects.get(bloc__certification=referentiel, code="1.1")
    response = client.get(edit_url(activity), follow=True)
    assert response.redirect_chain == [(inspect_url(activity), 302)]
    assert "ne peut plus être modifiée" in response.content.decode()
    response = client.post(edit_url(activity), activity_form(activity, title="Nouveau titre"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == (
        "Collecte des informations et documents relatifs au projet de production audiovisuelle"
    )
    assert client.get(edit_url(referentiel))["Location"] == inspect_url(referentiel)
    delete_url = reverse("wagtailsnippets_referentiel_certification:delete", args=[referentiel.pk])
    assert client.post(delete_url)["Location"] == inspect_url(referentiel)
    assert Certification.objects.filter(pk=referentiel.pk).exists()


def test_certifier_edits_a_draft_version(client, certifier, referentiel):
    draft = create_draft_from(referentiel)
    activity = Activity.objects.get(bloc__certification=draft, code="1.1")
    assert client.get(edit_url(activity)).status_code == 200
    response = client.post(edit_url(activity), activity_form(activity, title="Collecte révisée"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Collecte révisée"
    published = Activity.objects.get(bloc__certification=referentiel, code="1.1")
    assert published.title != "Collecte révisée"


def test_draft_child_cannot_be_moved_under_a_published_version(client, certifier, referentiel):
    draft = create_draft_from(referentiel)
    activity = Activity.objects.get(bloc__certification=draft, code="1.1")
    published_bloc = referentiel.blocs.get(code="BC1")
    response = client.post(edit_url(activity), activity_form(activity, bloc=published_bloc.pk))
    assert response.status_code == 200  # form redisplayed with an error
    assert "ne peut plus être modifiée" in response.content.decode()
    activity.refresh_from_db()
    assert activity.bloc.certification_id == draft.pk


def test_new_draft_then_publish_from_the_admin(client, certifier, referentiel):
    response = client.post(reverse("referentiel_new_draft", args=[referentiel.pk]))
    assert response.status_code == 302
    draft = Certification.objects.drafts().get()
    assert client.get(reverse("referentiel_publish", args=[draft.pk])).status_code == 200
    response = client.post(reverse("referentiel_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    referentiel.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert referentiel.status == VersionStatus.RETIRED


def test_publishing_a_published_version_is_refused_with_a_message(client, certifier, referentiel):
    response = client.get(reverse("referentiel_publish", args=[referentiel.pk]))
    assert "n'est pas un brouillon" in unescape(response.content.decode())
    response = client.post(reverse("referentiel_publish", args=[referentiel.pk]), follow=True)
    assert "Seule une version en brouillon peut être publiée." in response.content.decode()
    referentiel.refresh_from_db()
    assert referentiel.status == VersionStatus.PUBLISHED


def test_staff_without_publish_permission_cannot_publish(client, referentiel):
    draft = create_draft_from(referentiel)
    user = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, user)
    response = client.post(reverse("referentiel_publish", args=[draft.pk]))
    # Wagtail turns a refusal into a redirect to the admin home with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_publish_of_unknown_version_is_404(client, certifier, referentiel):
    assert client.get(reverse("referentiel_publish", args=[999999])).status_code == 404


def test_the_validity_of_acquired_blocs_is_edited_with_the_version(client, certifier, referentiel):
    # Set on a draft (the published one is read-only), kept by the next draft.
    draft = create_draft_from(referentiel)
    html = unescape(client.get(edit_url(draft)).content.decode())
    assert 'name="acquired_bloc_validity_months"' in html
    assert "Laisser vide : un bloc validé par le jury reste acquis à vie." in html
    assert draft.acquired_bloc_validity_months is None
    draft.acquired_bloc_validity_months = 60
    draft.save(update_fields=["acquired_bloc_validity_months"])
    assert create_draft_from(draft).acquired_bloc_validity_months == 60
