"""The personal link of a follow-up survey: ``/enquete/<public_id>/<secret>/``.

The secret is an HMAC of the survey's ``public_id`` with the site's key: never stored, so
a copy of the database opens no survey, and the reminder prints the same link again. It
is compared in constant time. Changing ``SECRET_KEY`` (with no fallback) voids every link
sent; ``SECRET_KEY_FALLBACKS`` keeps the old ones working, as it does for sessions.
"""

import uuid

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from vae.emails import site_url

SALT = "cohorts.survey-link"
# 128 bits of the HMAC, in hexadecimal: unguessable, and readable in any mail client.
SECRET_CHARS = 32


def secret(public_id, key=None) -> str:
    digest = salted_hmac(SALT, str(public_id), secret=key, algorithm="sha256")
    return digest.hexdigest()[:SECRET_CHARS]


def matches(public_id, given: str) -> bool:
    """Whether ``given`` is the secret of ``public_id`` (under the key or a fallback)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(secret(public_id, key), given) for key in keys)


def parse_public_id(value: str) -> uuid.UUID | None:
    """The UUID ``value`` spells, or None (any odd input is an unknown survey)."""
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None


def _arguments(survey) -> dict:
    return {"survey": str(survey.public_id), "secret": secret(survey.public_id)}


def survey_path(survey) -> str:
    return reverse("cohorts:survey", kwargs=_arguments(survey))


def refusal_path(survey) -> str:
    return reverse("cohorts:refuse", kwargs=_arguments(survey))


def survey_url(survey) -> str:
    return site_url(survey_path(survey))


def refusal_url(survey) -> str:
    return site_url(refusal_path(survey))
