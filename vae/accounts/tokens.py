"""Tokens carried by the links of the account e-mails."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


class AccountActivationTokenGenerator(PasswordResetTokenGenerator):
    """Sign-up confirmation token: single use because activating the account changes
    ``is_active``, which is part of the hash (as the password is for reset tokens)."""

    key_salt = "vae.accounts.tokens.AccountActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


account_activation_token = AccountActivationTokenGenerator()


def encode_uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def decode_uid(uidb64: str) -> str | None:
    try:
        return force_str(urlsafe_base64_decode(uidb64))
    except (TypeError, ValueError, OverflowError):
        return None


# E-mail change: the token carries the new address, signed, so nothing is stored until
# the new address is confirmed. It also carries the current address, so that it stops
# working once any change of address has been applied (single use).
EMAIL_CHANGE_SALT = "vae.accounts.email-change"


def make_email_change_token(user, new_email: str) -> str:
    return signing.dumps(
        {"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT
    )


def read_email_change_token(token: str) -> dict | None:
    """The token's data, or None when it is forged, altered or older than the reset
    timeout."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    if not isinstance(data, dict) or not {"u", "old", "new"} <= data.keys():
        return None
    return data
