"""Logging test users in, second factor included.

Staff who reach the back office (and the roles of ``VAE_OTP_REQUIRED_ROLES``) must verify
a second factor before any page (``vae.accounts.middleware``): ``client.force_login`` alone
leaves them on the code page. Tests whose subject is not the login use ``log_in``, which
gives such a user a confirmed authenticator device and marks the session as verified by
it, as if they had typed its code; the two-factor tests (tests/vae/test_two_factor.py) use
``client.force_login`` to see the refusal.
"""

from django.conf import settings
from django.shortcuts import resolve_url
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vae.accounts.permissions import requires_second_factor
from vae.accounts.staff_sessions import HAS_SECOND_FACTOR_KEY
from vae.accounts.two_factor import current_code


def enrolled_device(user) -> TOTPDevice:
    """``user``'s confirmed authenticator device, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def verify_second_factor(client, user) -> TOTPDevice:
    """Mark the client's logged-in session as verified by ``user``'s device."""
    device = enrolled_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[HAS_SECOND_FACTOR_KEY] = True
    session.save()
    return device


def log_in(client, user):
    """``client.force_login(user)``, with the second factor verified when required."""
    client.force_login(user)
    if requires_second_factor(user):
        verify_second_factor(client, user)


def pass_second_factor(page, user) -> None:
    """In a browser on the code page after the password: type the application's code."""
    page.get_by_label("Code à 6 chiffres ou code de secours").fill(
        current_code(enrolled_device(user))
    )
    page.get_by_role("button", name="Valider").click()


def admin_login_url() -> str:
    """Where the back office sends who may not enter it (Wagtail's login page)."""
    return resolve_url(getattr(settings, "WAGTAILADMIN_LOGIN_URL", "wagtailadmin_login"))
