"""Account writes with side effects: sign-up, confirmation, change of e-mail address.

None of them tells its caller whether an address is already registered in a way that
could reach the page: the views answer the same whatever happened, and the owner of the
address learns the rest by e-mail.
"""

import logging

from axes.utils import reset as reset_axes_attempts
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from vae.accounts.permissions import can_manage_accounts
from vae.accounts.tokens import (
    account_activation_token,
    encode_uid,
    make_email_change_token,
    read_email_change_token,
)
from vae.emails import send_templated_email, site_url
from vae.enums import Role
from vae.models import User
from vae.roles import assign_role

logger = logging.getLogger(__name__)


class EmailChangeError(Exception):
    """The confirmation link of an e-mail change cannot be applied."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _confirmation_url(user) -> str:
    path = reverse(
        "accounts:confirm",
        kwargs={"uidb64": encode_uid(user), "token": account_activation_token.make_token(user)},
    )
    return site_url(path)


def send_confirmation_email(user) -> None:
    send_templated_email(
        "emails/accounts/signup_confirm",
        {"user": user, "confirm_url": _confirmation_url(user)},
        to=[user.email],
    )


def _send_account_exists_email(user) -> None:
    context = {
        "user": user,
        "login_url": site_url(reverse("accounts:login")),
        "password_reset_url": site_url(reverse("accounts:password_reset")),
        # An unconfirmed account cannot reset its password (Django skips inactive
        # users), so it gets the confirmation link instead.
        "confirm_url": None if user.is_active else _confirmation_url(user),
    }
    send_templated_email("emails/accounts/account_exists", context, to=[user.email])


@transaction.atomic
def register_candidate(*, email: str, first_name: str, last_name: str, password: str):
    """Create an inactive candidate account and send the confirmation link.

    When the address is taken, the existing account's owner is told by e-mail instead,
    and None is returned; the caller must not show the difference.
    """
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        user = User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_active=False,
            # The sign-up form cannot be sent without accepting the notice.
            privacy_accepted_at=timezone.now(),
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # The same address registered concurrently.
            existing = User.objects.get(email__iexact=email)
        else:
            assign_role(user, Role.CANDIDATE)
            send_confirmation_email(user)
            return user
    _send_account_exists_email(existing)
    return None


@transaction.atomic
def resend_confirmation(*, email: str) -> None:
    user = User.objects.filter(email__iexact=email.strip(), is_active=False).first()
    if user is not None:
        send_confirmation_email(user)


def activate_account(user) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def clear_login_failures(user) -> None:
    """Lift a login lockout: called when the owner proved themselves another way."""
    reset_axes_attempts(username=user.email)


def unlock_address(*, address: str, by) -> int:
    """Lift the lockout of a typed address from the back office; how many attempt rows
    were cleared (the address's failures from every client address)."""
    if not can_manage_accounts(by):
        raise PermissionDenied
    count = reset_axes_attempts(username=address)
    logger.warning("Login lockout of %s lifted by %s", address, by.email)
    return count


@transaction.atomic
def request_email_change(*, user, new_email: str) -> None:
    """E-mail the new address a confirmation link; nothing changes until it is followed.

    A new address that belongs to another account gets a notice instead of a link.
    """
    new_email = new_email.strip().lower()
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        send_templated_email(
            "emails/accounts/email_change_taken",
            {"password_reset_url": site_url(reverse("accounts:password_reset"))},
            to=[new_email],
        )
        return
    token = make_email_change_token(user, new_email)
    send_templated_email(
        "emails/accounts/email_change_confirm",
        {
            "user": user,
            "new_email": new_email,
            "confirm_url": site_url(reverse("accounts:email_change_confirm", args=[token])),
        },
        to=[new_email],
    )


@transaction.atomic
def confirm_email_change(*, token: str):
    """Apply the change carried by ``token``; return the user. Tells the old address."""
    data = read_email_change_token(token)
    if data is None:
        raise EmailChangeError("invalid")
    user = User.objects.select_for_update().filter(pk=data["u"], email=data["old"]).first()
    if user is None:
        raise EmailChangeError("used")
    new_email = data["new"]
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailChangeError("taken")
    old_email = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    send_templated_email(
        "emails/accounts/email_changed",
        {"user": user, "old_email": old_email, "new_email": new_email},
        to=[old_email],
    )
    return user
