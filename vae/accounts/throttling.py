"""Failed-login throttling with django-axes: how an attempt is tied to an address.

django-axes calls ``AXES_USERNAME_CALLABLE(request, credentials)`` from three places that
do not agree on the key holding the address: the axes backend passes
``{"email": ...}`` (our ``USERNAME_FIELD``), Django's ``user_login_failed`` signal passes
the login form's ``{"username": ...}``, and without credentials axes reads the POST data.
Normalising here keeps "A@x.fr" and "a@x.fr" on one counter, as logins themselves are
case-insensitive.
"""

from django.contrib.auth import get_user_model

_KEYS = ("username", "email")


def normalize_email(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value or None


def username_from_request(request, credentials: dict | None = None) -> str | None:
    keys = (*_KEYS, get_user_model().USERNAME_FIELD)
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in keys:
            address = normalize_email(source.get(key))
            if address:
                return address
    return None
