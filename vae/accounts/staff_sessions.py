"""Who is logged in where: the sessions each login opens (``UserSession``), the staff's
short sessions, and ending a session from the back office."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vae.accounts import two_factor
from vae.accounts.permissions import can_manage_accounts, is_staff_account
from vae.accounts.sessions import STAFF_LOGIN_KEY, SessionStore
from vae.accounts.throttling import client_ip
from vae.models import UserSession

logger = logging.getLogger(__name__)

# Set at login for someone who enrolled a second factor without their role requiring it:
# they verify it at each login too, without a query on every request.
HAS_SECOND_FACTOR_KEY = "vae_has_second_factor"


def _record_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if is_staff_account(user):
        session[STAFF_LOGIN_KEY] = timezone.now().timestamp()
        # The cookie dies with the browser; the server-side end follows STAFF_LOGIN_KEY.
        session.set_expiry(0)
        session[HAS_SECOND_FACTOR_KEY] = two_factor.has_second_factor(user)
    if session.session_key is None:
        session.save()
    _forget_dead_sessions(user.pk)
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
        },
    )


def _forget_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


def connect_signals() -> None:
    user_logged_in.connect(_record_login, dispatch_uid="vae_record_login")
    user_logged_out.connect(_forget_logout, dispatch_uid="vae_forget_logout")


def follow_new_key(old_key: str | None, request) -> None:
    """After Django gave the session a new key (password change), keep its record."""
    if old_key:
        UserSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


def staff_login_age(session) -> float | None:
    """Seconds since the staff login of ``session``, None for other sessions."""
    started = session.get(STAFF_LOGIN_KEY)
    return None if started is None else timezone.now().timestamp() - started


def active_sessions():
    """Every recorded session still alive, with its user (one query)."""
    return UserSession.objects.filter(session_key__in=_alive()).select_related("user")


def _forget_dead_sessions(user_id) -> None:
    """Drop ``user_id``'s records whose session expired or was closed without a logout
    (browser closed): done at each login and each ending, it keeps the table to the
    sessions alive plus those that died since the person's last login."""
    UserSession.objects.filter(user_id=user_id).exclude(session_key__in=_alive()).delete()


def _alive():
    return Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")


@transaction.atomic
def end_session(*, user_session: UserSession, by) -> None:
    """Log the session out from the back office: its next request is anonymous. Stale
    records of the same person go at the same time."""
    if not can_manage_accounts(by):
        raise PermissionDenied
    logger.warning("Session of %s ended by %s", user_session.user.email, by.email)
    SessionStore(session_key=user_session.session_key).delete()
    user_session.delete()
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user_id=user_session.user_id).exclude(session_key__in=alive).delete()
