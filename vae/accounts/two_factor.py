"""Two-factor authentication of staff accounts (django-otp): an authenticator application
(TOTP) and single-use recovery codes.

Enrolment creates an unconfirmed TOTP device; it counts only once the person has typed a
code it produced, which proves the application holds the key. Confirming it hands out the
recovery codes, shown once: only their owner has them afterwards (django-otp deletes a
code when it is used).
"""

import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vae.accounts.permissions import can_manage_accounts

logger = logging.getLogger(__name__)

TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (kept across page loads, so the
    QR code scanned a minute ago stays the right one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def manual_key(device) -> str:
    """The key as an application asks for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device) -> str:
    """The enrolment QR code as inline SVG (drawn here: no image service sees the key)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="Code QR à scanner avec votre application d'authentification"
    )


def current_code(device: TOTPDevice) -> str:
    """The code ``device``'s application shows now (for the demo's printed codes and the
    tests; a person reads it on their phone)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _normalized(code: str) -> str:
    return "".join((code or "").split()).lower()


@transaction.atomic
def confirm_enrolment(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with a code it produced; returns the new recovery codes, or
    None when the code is wrong. The session counts as verified from then on."""
    if device.user_id != request.user.pk or not device.verify_token(_normalized(code)):
        return None
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return new_recovery_codes(request.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with new ones (the old ones stop working)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.VAE_OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(*, request, code: str) -> bool:
    """Check a code from the application or a recovery code (used up by this call);
    on success the session counts as verified."""
    code = _normalized(code)
    if not code:
        return False
    devices = [
        *TOTPDevice.objects.filter(user=request.user, confirmed=True),
        *StaticDevice.objects.filter(user=request.user, confirmed=True),
    ]
    for device in devices:
        # One at a time in its own transaction: django-otp's throttling counts the
        # failure of each device even when the next one accepts nothing.
        with transaction.atomic():
            if device.verify_token(code):
                otp_login(request, device)
                return True
    return False


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset_second_factor(*, user, by) -> None:
    """Remove ``user``'s application and recovery codes (a lost phone), from the back
    office: they enrol again at their next login. Their open sessions stay verified or
    not as they were; the certifier ends them separately if the phone was stolen."""
    if not can_manage_accounts(by):
        raise PermissionDenied
    logger.warning("Second factor of %s reset by %s", user.email, by.email)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
