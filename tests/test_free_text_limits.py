"""Free text has a bound everywhere a person types it: every text area of the project's
forms has a maximum length, the database refuses more on the fields that had none, a line
break counts one character, and a refused text is shown again whole."""

import importlib
import inspect
import pkgutil
from html import unescape

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.urls import reverse

from livret.eligibility.models import DESCRIPTION_MAX_CHARS, DETAILS_MAX_CHARS
from livret.models import EligibilityRequest
from portal.candidate_forms import WITHDRAW_COMMENT_MAX_CHARS
from tests.factories import CandidacyFactory
from vae.enums import CandidacyState
from vae.forms import FreeTextField

APPS = ("livret", "review", "jury", "vae", "portal")


def _project_forms():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    yield value


def test_every_text_area_of_the_project_has_a_maximum_length():
    text_areas = [
        (form, name, field)
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
    ]
    # The sweep found the forms: livret 1 and 2, the review, the decisions, the withdrawal.
    assert len(text_areas) >= 12
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form, name, field in text_areas
        if not field.max_length
    ]
    assert not unbounded, f"Text areas without max_length: {unbounded}"


def test_free_text_counts_a_line_break_as_one_character():
    field = FreeTextField(max_length=10)
    assert field.clean("12345\r\n789") == "12345\n789"
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("12345\r\n789012")
    assert refused.value.messages == [
        "Ce texte compte 12 caractères, pour 10 au plus : raccourcissez-le de 2 caractères "
        "(votre texte est conservé ci-dessous)."
    ]


def test_the_text_area_says_its_limit_to_the_browser():
    form = forms.Form()
    form.fields["details"] = FreeTextField(max_length=2000)
    assert 'maxlength="2000"' in str(form["details"])


@pytest.mark.parametrize(
    ("field", "limit"),
    [("situation_details", DETAILS_MAX_CHARS), ("accommodation_details", DETAILS_MAX_CHARS)],
)
def test_the_database_refuses_livret_1_details_over_the_limit(referentiel, field, limit):
    request = CandidacyFactory().eligibility_request
    setattr(request, field, "é" * limit)
    request.save()
    setattr(request, field, "é" * (limit + 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()
    assert len(getattr(EligibilityRequest.objects.get(pk=request.pk), field)) == limit


def test_the_database_refuses_an_experience_description_over_the_limit(referentiel):
    experience = CandidacyFactory().eligibility_request.experiences.get()
    experience.description = "x" * (DESCRIPTION_MAX_CHARS + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        experience.save()


def test_an_over_long_withdrawal_motif_is_refused_and_kept(client, referentiel):
    candidacy = CandidacyFactory(eligible=True)
    client.force_login(candidacy.candidate)
    motif = "Je déménage à l'étranger. " * 80  # 2 079 characters once trimmed
    url = reverse("candidacy:withdraw", args=[candidacy.pk])
    response = client.post(url, {"comment": motif})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "La candidature n'a pas été abandonnée" in html
    assert f"pour {WITHDRAW_COMMENT_MAX_CHARS:,} au plus".replace(",", "\u202f") in html
    assert motif + "</textarea>" in html
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.ELIGIBLE
    # A motif within the limit goes through.
    response = client.post(url, {"comment": "Je déménage."})
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.WITHDRAWN


def test_every_page_loads_the_character_counter(client, referentiel):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "js/char-count.js" in html
