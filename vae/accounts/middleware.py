"""The staff's account rules, applied before any page: the second factor, then the end of
the working day."""

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty

from vae.accounts import two_factor
from vae.accounts.permissions import requires_second_factor
from vae.accounts.staff_sessions import HAS_SECOND_FACTOR_KEY, staff_login_age


@cache
def _open_paths() -> frozenset[str]:
    """What a person halfway through logging in may still open."""
    names = ("two_factor_setup", "two_factor_verify", "logout")
    return frozenset(reverse(f"accounts:{name}") for name in names)


def _with_next(url_name: str, request) -> str:
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


def _unwrapped(user):
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class StaffAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every request reads the user here, so the lazy wrappers of the authentication
        # and OTP middlewares (a lazy object around a lazy object) save nothing past this
        # point, while each of the few hundred reads of request.user a page makes goes
        # through both: the page gets the user itself.
        request.user = _unwrapped(request.user)
        if request.user.is_authenticated:
            response = self._working_day_over(request) or self._second_factor_due(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _working_day_over(request):
        age = staff_login_age(request.session)
        if age is None or age <= settings.VAE_STAFF_SESSION_MAX_AGE:
            return None
        logout(request)
        messages.info(
            request,
            "Votre session a pris fin : par sécurité, les comptes des certificateurs, "
            "évaluateurs et membres du jury se reconnectent chaque jour.",
        )
        return redirect(_with_next(settings.LOGIN_URL, request))

    @staticmethod
    def _second_factor_due(request):
        if request.path in _open_paths() or request.path.startswith(settings.STATIC_URL):
            return None
        user = request.user
        if (
            not (requires_second_factor(user) or request.session.get(HAS_SECOND_FACTOR_KEY))
            or user.is_verified()
        ):
            return None
        if two_factor.has_second_factor(user):
            return redirect(_with_next("accounts:two_factor_verify", request))
        return redirect(_with_next("accounts:two_factor_setup", request))
