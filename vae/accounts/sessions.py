"""The session engine: Django's database sessions, shorter for staff.

A staff login (``vae.accounts.signals``) marks its session with the login time and makes
the cookie end with the browser. Here the server-side expiry follows: a staff session not
used for ``VAE_STAFF_SESSION_MAX_AGE`` is dead in the database too, rather than lingering
for Django's two weeks; ``StaffAccountMiddleware`` ends it that long after the login even
when it is in use.
"""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

STAFF_LOGIN_KEY = "vae_staff_login"


class SessionStore(DatabaseSessionStore):
    def get_session_cookie_age(self):
        if self.get(STAFF_LOGIN_KEY):
            return settings.VAE_STAFF_SESSION_MAX_AGE
        return super().get_session_cookie_age()
