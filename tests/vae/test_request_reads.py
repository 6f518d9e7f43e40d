"""What every request of a logged-in user reads, by compiled SQL (``referentiel.prepared``):
the session and the user, with Django's rules kept."""

import datetime

import pytest
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    load_backend,
)
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.functional import LazyObject
from django_otp.middleware import OTPMiddleware

from tests.factories import UserFactory
from vae.accounts.middleware import StaffAccountMiddleware
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


def test_views_get_the_user_itself_not_lazy_wrappers(rf, db):
    """The staff middleware hands views the user object itself (both lazy wrappers, the
    authentication's and the OTP's, were read there anyway), with OTP's is_verified."""
    user = UserFactory()
    seen = {}

    def view(request):
        seen["user"] = request.user

    request = rf.get("/candidature/")
    SessionMiddleware(view).process_request(request)
    request.session[SESSION_KEY] = str(user.pk)
    request.session[BACKEND_SESSION_KEY] = "vae.accounts.backends.ModelBackend"
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    AuthenticationMiddleware(OTPMiddleware(StaffAccountMiddleware(view)))(request)
    assert not isinstance(seen["user"], LazyObject)
    assert seen["user"].pk == user.pk
    assert seen["user"].is_verified() is False
