"""The session engine: Django's database sessions, shorter for staff.

A staff login (``vae.accounts.signals``) marks its session with the login time and makes
the cookie end with the browser. Here the server-side expiry follows: a staff session not
used for ``VAE_STAFF_SESSION_MAX_AGE`` is dead in the database too, rather than lingering
for Django's two weeks; ``StaffAccountMiddleware`` ends it that long after the login even
when it is in use.
"""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from referentiel.prepared import PreparedQuery

STAFF_LOGIN_KEY = "vae_staff_login"

# Read on every request of a logged-in user: compiled once (see ``referentiel.prepared``).
# The expiry is compared here rather than in SQL, a date being adapted per database.
_session_by_key = PreparedQuery(lambda key: Session.objects.filter(session_key=key))


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        found = _session_by_key(self.session_key)
        if found and found[0].expire_date > timezone.now():
            return found[0]
        # As Django's: an unknown or expired key is forgotten (a new one is made on save).
        self._session_key = None
        return None

    def get_session_cookie_age(self):
        if self.get(STAFF_LOGIN_KEY):
            return settings.VAE_STAFF_SESSION_MAX_AGE
        return super().get_session_cookie_age()
