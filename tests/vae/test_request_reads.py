"""What every request of a logged-in user reads, by compiled SQL (``referentiel.prepared``):
the session and the user, with Django's rules kept."""

import datetime

import pytest
from django.contrib.auth import load_backend
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import UserFactory
from vae.accounts.sessions import SessionStore
from vae.enums import CandidacyState
from vae.models import Candidacy

pytestmark = pytest.mark.django_db


def test_the_session_store_loads_a_live_session_and_forgets_an_expired_one():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": 42}

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("no-such-session-key-0123456789").load() == {}


def test_the_backend_reads_active_users_only():
    backend = load_backend("vae.accounts.backends.ModelBackend")
    user = UserFactory()
    assert backend.get_user(user.pk) == user
    assert backend.get_user(str(user.pk)) == user
    assert backend.get_user("²") is None and backend.get_user(None) is None
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
    assert backend.get_user(user.pk + 1000) is None


@pytest.mark.parametrize("state", list(CandidacyState))
def test_the_state_label_is_the_enum_s_in_plain_text(state):
    # Candidacy.get_state_display reads the enum instead of Django's dict of choices.
    label = Candidacy(state=state).get_state_display()
    assert type(label) is str and label == str(state.label)
    assert Candidacy(state="inconnu").get_state_display() == "inconnu"
