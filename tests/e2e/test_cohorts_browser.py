"""Issue 16's journey in a real browser: a holder answers their 6-month survey on a
phone-sized screen through their personal link (no account); the certifier then sees their
promotion's insertion rate change from « n < 5 » to a percentage, downloads the XLSX
whose figures say the same, finds the survey among the answered ones, and opens the
process dashboard, whose charts come as images. Axe checks every page; the CSP watcher
every script."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from cohorts import links
from cohorts.exports import INSERTION_COLUMNS
from cohorts.rules import SMALL_NUMBERS
from tests.cohorts.tables_support import employed, survey
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
TARGETED_RATE = "Taux d'insertion dans le métier visé"


def _targeted_rate(page) -> str:
    """The 6-month wave's rate in the targeted job, as the promotion's page shows it."""
    row = page.locator("tr", has=page.get_by_role("rowheader", name=TARGETED_RATE, exact=True))
    return row.first.locator("td").inner_text().strip()


def test_a_holder_answers_on_a_phone_and_the_certifier_sees_the_rate_change(
    live_server, browser, site, sign_in
):
    # Decided about 200 days ago: the 6-month survey went out 20 days ago and is open.
    decided_on = timezone.localdate() - dt.timedelta(days=200)
    for _ in range(4):
        employed(decided_on)  # four respondents in the targeted job: too few for a rate
    holder_survey = survey(decided_on)  # sent, not answered yet
    holder_survey.candidacy.candidate.first_name = "Camille"
    holder_survey.candidacy.candidate.save(update_fields=["first_name"])
    certifier = UserFactory(role=Role.CERTIFIER)
    promotion_url = live_server.url + reverse("cohorts_admin:promotion", args=[decided_on.year])

    staff = browser.new_context(locale="fr-FR")
    sign_in(staff, certifier)
    desk = staff.new_page()
    desk.goto(promotion_url)
    assert _targeted_rate(desk) == SMALL_NUMBERS

    # The holder, on a phone, from the link of the e-mail: no account, no login.
    phone = browser.new_context(viewport=PHONE, locale="fr-FR", has_touch=True)
    page = phone.new_page()
    page.goto(live_server.url + links.survey_path(holder_survey))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Votre situation")
    expect(page.locator("main")).to_contain_text("Bonjour Camille")
    consent = page.get_by_label("J'accepte que mes réponses servent aux statistiques")
    # The job's questions are for the employed: hidden until they say so.
    expect(page.get_by_label("Intitulé de votre poste")).to_be_hidden()
    # Sent without a situation: the error is announced and nothing is lost.
    consent.check()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(page).to_have_title(re.compile(r"^Erreur : "))
    expect(page.locator("main")).to_contain_text("Vos réponses ne sont pas encore enregistrées")
    expect(consent).to_be_checked()
    page.get_by_role("radio", name="En emploi", exact=True).check()
    page.get_by_label("Intitulé de votre poste").fill("Administratrice de production")
    page.get_by_role("radio", name="Oui", exact=True).check()
    page.get_by_role("radio", name="Cinéma et audiovisuel").check()
    page.get_by_role("radio", name="CDD d'usage (intermittent du spectacle)").check()
    page.get_by_role("radio", name="Temps plein").check()
    page.get_by_role("radio", name="De 30 000 à 39 999 €").check()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(page.get_by_role("status").first).to_contain_text("vos réponses sont enregistrées")
    # Usable on the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.close()

    holder_survey.refresh_from_db()
    assert holder_survey.answered_at and holder_survey.in_targeted_job is True

    # Five respondents now, all in the targeted job: a rate, no longer « n < 5 ».
    desk.goto(promotion_url)
    assert _targeted_rate(desk) == "100\u202f%"  # French typography: a narrow no-break space

    desk.goto(live_server.url + reverse("cohorts_admin:promotions"))
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Télécharger le tableur (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert tuple(header) == INSERTION_COLUMNS
    rate = header.index(TARGETED_RATE)
    promotion_rows = [r for r in rows[1:] if str(decided_on.year) in str(r[0])]
    assert 1.0 in [r[rate] for r in promotion_rows]

    # The survey list: the holder's survey among the answered ones, chosen by keyboard.
    desk.goto(live_server.url + reverse("cohorts_admin:surveys"))
    desk.get_by_label("État", exact=True).select_option(label="Répondue")
    desk.get_by_role("button", name="Afficher", exact=True).press("Enter")
    expect(desk.get_by_role("table", name=re.compile("pour ces filtres"))).to_contain_text(
        holder_survey.candidacy.reference
    )

    # The process dashboard: its tables come with the page, then each chart, an image at
    # its own URL that the browser fetches and draws (under the CSP the watcher checks).
    desk.goto(live_server.url + reverse("cohorts_admin:dashboard"))
    charts = desk.locator("img.chart__svg")
    # (Seven here: no signed decision yet, so no results per bloc or compétence.)
    expect(charts).to_have_count(7)
    for index in range(7):
        drawn = "img => img.complete && img.naturalWidth > 0"
        desk.wait_for_function(drawn, arg=charts.nth(index).element_handle())
    name = re.compile(r"^Candidatures recevables par trimestre, selon leur état actuel ")
    expect(desk.get_by_role("img", name=name)).to_be_visible()
    staff.close()
