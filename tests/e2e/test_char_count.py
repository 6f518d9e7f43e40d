"""The character counter of the text areas with a limit (static/js/char-count.js), in a
browser: hidden far from the limit, shown near it, over it the text stays whole (no
maxlength cutting a paste) and the server's refusal keeps it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from livret.eligibility.models import DETAILS_MAX_CHARS
from tests.factories import CandidacyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_counter_near_the_limit_and_over_it(referentiel, browser_page, sign_in):
    context, page = browser_page
    candidacy = CandidacyFactory(livret="empty")
    sign_in(context, candidacy.candidate)
    page.goto(reverse("livret:section", args=[candidacy.pk, "situation"]))
    details = page.locator("textarea[name=situation_details]")
    counter = page.locator(".char-count")
    # The script took the limit over: no maxlength left to cut a paste.
    expect(details).not_to_have_attribute("maxlength", re.compile(".*"))
    expect(details).to_have_attribute("data-max-chars", str(DETAILS_MAX_CHARS))

    details.fill("Intermittente. ")
    expect(counter).to_be_hidden()

    details.fill("x" * (DETAILS_MAX_CHARS - 100))
    expect(counter).to_be_visible()
    expect(counter).to_contain_text(re.compile(r"Encore 100 caractères possibles sur 2\s000\."))
    expect(details).not_to_have_attribute("aria-invalid", "true")
    described = details.get_attribute("aria-describedby")
    assert counter.get_attribute("id") in described.split()

    over = "y" * (DETAILS_MAX_CHARS + 10)
    details.fill(over)
    expect(counter).to_contain_text("10 caractères de trop")
    expect(details).to_have_attribute("aria-invalid", "true")
    # Read out once typing pauses, in the polite live region.
    expect(counter.locator("[aria-live=polite]")).to_contain_text("10 caractères de trop")
    assert len(details.input_value()) == DETAILS_MAX_CHARS + 10

    page.get_by_role("radio", name="Autre situation").check()
    page.get_by_role("main").get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("raccourcissez-le de 10 caractères")
    expect(page.locator("textarea[name=situation_details]")).to_have_value(over)
