"""The public verification of an issued document: anyone holding the paper (an employer,
a school) checks that it is genuine and still stands, from its QR code or its number.

Only what the paper already says is shown (holder's name, certification or bloc, date)
with the status; nothing else of the holder. Lookups are counted per client address, the
unknown numbers more strictly: numbers are unguessable, and trying them is slowed down
long before it could find one.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from certificates import selectors
from certificates.forms import LookupForm
from vae import throttle
from vae.accounts.throttling import client_ip

NOT_INDEXED = "noindex, nofollow"


def _headers(response):
    response["X-Robots-Tag"] = NOT_INDEXED
    return response


def _over_limit(ip: str, misses_key: str) -> bool:
    if throttle.spent(misses_key, settings.VAE_VERIFY_MISSES_PER_IP):
        return True
    return not throttle.hit(
        throttle.key("verify", ip), settings.VAE_VERIFY_LOOKUPS_PER_IP, settings.VAE_VERIFY_WINDOW
    )


def _throttled(request):
    response = render(request, "certificates/verify_throttled.html", status=429)
    response["Retry-After"] = str(settings.VAE_VERIFY_WINDOW)
    return _headers(response)


@require_safe
@never_cache
def lookup(request):
    """A form for a number typed from the paper; a valid one leads to its page."""
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("certificates:verify", number=form.cleaned_data["numero"])
    return _headers(render(request, "certificates/lookup.html", {"form": form}))


@require_safe
@never_cache
def verify(request, number):
    ip = client_ip(request) or ""
    misses_key = throttle.key("verify-misses", ip)
    if _over_limit(ip, misses_key):
        return _throttled(request)
    credential = selectors.verification(number)
    if credential is None:
        throttle.hit(misses_key, settings.VAE_VERIFY_MISSES_PER_IP, settings.VAE_VERIFY_WINDOW)
        return _headers(
            render(
                request,
                "certificates/verify_unknown.html",
                {"form": LookupForm(initial={"numero": number[:60]})},
                status=404,
            )
        )
    return _headers(render(request, "certificates/verify.html", {"credential": credential}))
