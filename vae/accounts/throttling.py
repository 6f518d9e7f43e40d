"""Throttling of the account forms: failed logins (django-axes) and the requests that send
an e-mail (sign-up, new confirmation link, password reset).

Three limits, each holding on its own:

* **per account**, whatever the address it is tried from (``AXES_LOCKOUT_PARAMETERS =
  ["username"]``): five wrong passwords lock the account for the cool-off time, so spreading
  guesses over many machines gains nothing. The owner lifts the lock by resetting their
  password; a certifier lifts it from the back office.
* **per client address, across accounts** (``VAE_IP_FAILURE_LIMIT``): one wrong password on
  every account from one machine is slowed down too. django-axes compares every lockout
  parameter with one limit; an address trying many accounts needs a higher one than an
  account (several people share an office's address), hence ``AccountOrAddressHandler``.
* **e-mail requests** per typed address and per client address (``allow_email_request``),
  counted in Django's cache: nobody can send a mailbox a flood of messages through us.

The client address is ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_HEADER`` names the header a
reverse proxy of ours sets (see ``client_ip``): a header the client could write itself is
never believed when no proxy is configured.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone

from vae import throttle

_KEYS = ("username", "email")


def normalize_email(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value or None


def username_from_request(request, credentials: dict | None = None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the typed address, normalised.

    django-axes calls it from three places that do not agree on the key holding the
    address: the axes backend passes ``{"email": ...}`` (our ``USERNAME_FIELD``), Django's
    ``user_login_failed`` signal passes the login form's ``{"username": ...}``, and without
    credentials axes reads the POST data. Normalising keeps "A@x.fr" and "a@x.fr" on one
    counter, as logins themselves are case-insensitive.
    """
    keys = (*_KEYS, get_user_model().USERNAME_FIELD)
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in keys:
            address = normalize_email(source.get(key))
            if address:
                return address
    return None


# -- the client's address ------------------------------------------------------------------


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE`` and the address of the e-mail limits.

    Behind a reverse proxy every request comes from the proxy's address: then
    ``TRUSTED_PROXY_HEADER`` (a ``request.META`` key such as ``HTTP_X_FORWARDED_FOR``)
    names the header the proxy writes, and ``TRUSTED_PROXY_COUNT`` how many proxies of ours
    append to it. Each appends the address it received the request from, so the client is
    the ``TRUSTED_PROXY_COUNT``-th address from the right: anything further left was
    written by the client and is ignored. A missing or malformed header falls back to
    ``REMOTE_ADDR``, which is then one of our proxies: strict rather than spoofable.
    """
    remote = request.META.get("REMOTE_ADDR")
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    hops = [hop for hop in request.META.get(header, "").split(",") if hop.strip()]
    count = max(settings.TRUSTED_PROXY_COUNT, 1)
    if len(hops) < count:
        return remote
    return _valid_ip(hops[-count]) or remote


# -- failed logins -------------------------------------------------------------------------


def address_failures(request) -> int:
    """Failed logins from the request's client address, every account together, within
    the cool-off time."""
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    if not ip:
        return 0
    since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - get_cool_off(request)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class AccountOrAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler, locking an account (its parameters) or a client
    address that failed ``VAE_IP_FAILURE_LIMIT`` times across accounts."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_failures(request) >= settings.VAE_IP_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and address_failures(request) >= settings.VAE_IP_FAILURE_LIMIT:
            # The failure that reaches the limit shows the lockout page, as axes does for
            # an account.
            request.axes_locked_out = True
            request.axes_credentials = credentials


def remaining_attempts(request, credentials: dict) -> int:
    """How many more failures lock the login out: the account's or the address's limit,
    whichever comes first. Shown on the login page; it tells nothing about whether the
    account exists, as unknown addresses are counted alike."""
    account = get_failure_limit(request, credentials) - getattr(
        request, "axes_failures_since_start", 0
    )
    address = settings.VAE_IP_FAILURE_LIMIT - address_failures(request)
    return max(min(account, address), 0)


# -- requests that send an e-mail ----------------------------------------------------------


def _key(kind: str, value: str) -> str:
    return throttle.key(f"email-requests:{kind}", value)


def allow_email_request(request, address: str) -> bool:
    """Count a request that e-mails ``address`` (sign-up, confirmation link, password
    reset, all on one budget); False once the address or the client is over its limit.

    Counted for every address, registered or not, so refusing tells nothing about
    accounts.
    """
    window = settings.VAE_EMAIL_REQUEST_WINDOW
    per_address = throttle.hit(
        _key("address", normalize_email(address) or ""),
        settings.VAE_EMAIL_REQUESTS_PER_ADDRESS,
        window,
    )
    per_client = throttle.hit(
        _key("ip", client_ip(request) or ""), settings.VAE_EMAIL_REQUESTS_PER_IP, window
    )
    return per_address and per_client


def locked_accounts():
    """The addresses locked out now, with their failures and last attempt, for the back
    office (``username`` is the typed address: it may match no account)."""
    since = timezone.now() - get_cool_off()
    return (
        AccessAttempt.objects.filter(attempt_time__gte=since, username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )
