"""A logged-in person re-entering their password to confirm an act: signing a jury
decision, changing their e-mail address.

The login form's failures are counted by django-axes; these were not, so someone who found
an unlocked session could try passwords here at leisure. Wrong passwords are counted per
account in the shared throttle cache (``vae.throttle``): past ``VAE_REAUTH_FAILURES`` within
``VAE_REAUTH_WINDOW`` seconds, even the right one is refused until the window ends.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from vae import throttle


class TooManyAttempts(Exception):
    """Too many wrong passwords lately: ``message`` says so, in French."""

    def __init__(self):
        minutes = max(1, settings.VAE_REAUTH_WINDOW // 60)
        self.message = _(
            "Trop de mots de passe erronés : par sécurité, réessayez dans %(minutes)s minutes."
        ) % {"minutes": minutes}
        super().__init__(self.message)


def _key(user) -> str:
    return throttle.key("reauth-failures", str(user.pk))


def confirm_password(user, password) -> bool:
    """Whether ``password`` is ``user``'s; raises ``TooManyAttempts`` past the limit."""
    if throttle.spent(_key(user), settings.VAE_REAUTH_FAILURES):
        raise TooManyAttempts
    if password and user.check_password(password):
        return True
    throttle.hit(_key(user), settings.VAE_REAUTH_FAILURES, settings.VAE_REAUTH_WINDOW)
    return False
