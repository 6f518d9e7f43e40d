"""Shared data and helpers of the livret 1 tests."""

import datetime
import html

from django.forms.models import model_to_dict
from django.urls import reverse

from livret.models import EligibilityRequest
from tests.factories import UserFactory
from vae.enums import Role

VALID_IDENTITY = {
    "civility": "mme",
    "birth_name": "Martin",
    "usage_name": "",
    "first_names": "Léa Marie",
    "birth_date": "1990-05-17",
    "birth_place": "Lyon",
    "birth_country": "France",
    "nationality": "Française",
    "address": "3 rue du Cinéma",
    "address_complement": "",
    "postal_code": "75011",
    "city": "Paris",
    "country": "France",
    "phone": "06 12 34 56 78",
}

VALID_EXPERIENCE = {
    "employer": "Les Films du Nord",
    "sector": "audiovisuel",
    "job_title": "Assistante de production",
    "domains": ["paie", "budget"],
    "start_date": "2018-01-15",
    "end_date": "2020-06-30",
    "duration_months": "",
    "working_time": "plein",
    "part_time_percent": "",
    "description": "Gestion de la paie des intermittents et suivi du budget du film.",
}

VALID_TRAINING = {
    "title": "BTS Comptabilité et gestion",
    "organisation": "Lycée Jean-Jaurès",
    "year": "2010",
    "outcome": "obtenu",
}


def page(response) -> str:
    """The response's HTML with entities decoded, to look for French text in it."""
    return html.unescape(response.content.decode())


def url(name, candidacy, **kwargs):
    return reverse(name, kwargs={"candidacy_pk": candidacy.pk, **kwargs})


def section_url(candidacy, slug):
    return url("livret:section", candidacy, slug=slug)


def snapshot(candidacy):
    """Everything livret 1 stores for ``candidacy``, to prove a refused request wrote nothing."""
    request = EligibilityRequest.objects.get(candidacy=candidacy)
    candidacy.refresh_from_db()
    return {
        "state": candidacy.state,
        "transitions": candidacy.transitions.count(),
        "request": model_to_dict(request),
        "saved_at": (
            request.identity_saved_at,
            request.situation_saved_at,
            request.blocs_saved_at,
            request.accommodation_saved_at,
            request.sworn_at,
            request.updated_at,
        ),
        "blocs": sorted(request.candidacy.targeted_blocs.values_list("code", flat=True)),
        "experiences": list(request.experiences.order_by("pk").values()),
        "trainings": list(request.trainings.order_by("pk").values()),
    }


def years_ago(today, years, days=0):
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def make_user(kind):
    roles = {
        "candidate": Role.CANDIDATE,
        "evaluator": Role.EVALUATOR,
        "jury": Role.JURY_MEMBER,
        "certifier": Role.CERTIFIER,
    }
    return UserFactory(role=roles[kind])
