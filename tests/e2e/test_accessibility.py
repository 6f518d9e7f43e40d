"""Accessibility in a browser: axe-core on the public and account pages at a phone's and a
laptop's width, the scrollable regions reached and scrolled with the keyboard, the unique
landmarks of the evaluator's dossier page, and the checking itself (tests/e2e/a11y.py):
a page reached by a click, a form post or changed in place is checked, and a violation
fails with a message that says where and why."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from referentiel.models import Bloc
from tests.e2e.a11y import A11yBrowser, A11yChecker, AxeSessionReport
from tests.factories import CandidacyFactory
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/certification/", "/reglement/", "/faq/", "/donnees-personnelles/"]
ACCOUNT_PAGES = [
    "/compte/connexion/",
    "/compte/inscription/",
    "/compte/mot-de-passe/oublie/",
    "/compte/inscription/nouveau-lien/",
]
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "laptop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS.values()), ids=list(VIEWPORTS))
def test_public_and_account_pages_pass_axe(live_server, browser, a11y, site, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    for path in PUBLIC_PAGES + ACCOUNT_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
    # The forms sent empty: their error summaries and messages are checked too.
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Connexion impossible")
    page.goto(live_server.url + "/compte/inscription/")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Le compte n'a pas pu être créé")
    context.close()
    # Every page was checked at this width, the two forms three times (twice empty, then
    # with their errors).
    checked = [pattern for pattern, width in a11y.checked if width == viewport["width"]]
    assert set(checked) == set(PUBLIC_PAGES + ACCOUNT_PAGES)
    assert checked.count("/compte/connexion/") == checked.count("/compte/inscription/") == 3


def test_epreuves_tables_scroll_with_the_keyboard_on_a_phone(live_server, browser, site):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/certification/")
    for bloc in Bloc.objects.filter(certification=site).order_by("sort_order"):
        region = page.get_by_role("region", name=f"Tableau des épreuves du bloc {bloc.code}")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll
        region.focus()
        expect(region).to_be_focused()
        assert region.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5_000
        )
    context.close()


def test_narrative_guidance_scrolls_with_the_keyboard(
    sign_in, live_server, browser, client, referentiel
):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    activity = candidacy.referentiel_tree()[0].activities.all()[0]
    context = browser.new_context(viewport={"width": 1280, "height": 640}, locale="fr-FR")
    sign_in(context, candidacy.candidate)
    page = context.new_page()
    path = reverse(
        "livret:narrative", kwargs={"candidacy_pk": candidacy.pk, "activity_pk": activity.pk}
    )
    page.goto(live_server.url + path)
    guidance = page.get_by_role("complementary", name="Ce que le référentiel attend")
    # Beside the editor on a laptop, the criteria scroll inside their own panel.
    assert guidance.evaluate("el => el.scrollHeight > el.clientHeight")
    guidance.focus()
    expect(guidance).to_be_focused()
    page.keyboard.press("PageDown")
    page.wait_for_function("el => el.scrollTop > 0", arg=guidance.element_handle(), timeout=5_000)
    context.close()


def test_evaluator_dossier_page_has_unique_landmarks(
    sign_in, live_server, browser, client, referentiel
):
    candidacy = CandidacyFactory(under_review=True)
    assignment = candidacy.assignments.order_by("pk").first()
    context = browser.new_context(locale="fr-FR")
    sign_in(context, assignment.evaluator)
    page = context.new_page()
    page.goto(live_server.url + reverse("review:dossier", args=[assignment.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(candidacy.reference)
    # landmark-unique is a "moderate" rule, below the suite-wide bar: asked for here.
    assert [v["id"] for v in page.axe_violations() if v["id"] == "landmark-unique"] == []
    bloc = candidacy.referentiel_tree()[0]
    expect(page.get_by_role("region", name=f"Récits {bloc.code} – {bloc.title}")).to_have_count(1)
    context.close()


# ---- the checking itself, on pages served by the test (route) rather than the site ----

ORIGIN = "http://a11y.test"
CLEAN = """<!doctype html><html lang="fr"><head><title>Propre</title></head><body>
<main><h1>Propre</h1><p><a href="/scroll/">Vers une page fautive</a></p>
<form method="post" action="/image/"><button>Envoyer</button></form></main></body></html>"""
# A region that scrolls with nothing focusable inside: scrollable-region-focusable (serious).
SCROLL = """<!doctype html><html lang="fr"><head><title>Défilement</title></head><body>
<main><h1>Défilement</h1><div id="boite" style="overflow:auto;width:100px;height:40px">
<p style="width:400px">Un texte bien trop large pour la boîte qui le contient.</p></div>
</main></body></html>"""
# An image without alternative text: image-alt (critical).
IMAGE = """<!doctype html><html lang="fr"><head><title>Image</title></head><body>
<main><h1>Image</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main>
</body></html>"""


@pytest.fixture
def probe(chromium):
    """A browser as tests get it, whose checker reports to a private list (not the suite's)."""
    checker = A11yChecker(report=AxeSessionReport())
    context = A11yBrowser(chromium, checker).new_context(locale="fr-FR")
    pages = {"/": CLEAN, "/scroll/": SCROLL, "/image/": IMAGE}

    def serve(route):
        body = pages.get(route.request.url.removeprefix(ORIGIN))
        route.fulfill(
            status=404 if body is None else 200,
            content_type="text/html; charset=utf-8",
            body=body or "",
        )

    context.route(f"{ORIGIN}/**", serve)
    yield checker, context.new_page()
    checker.active = False
    context.close()


def test_pages_reached_by_click_and_post_are_checked(probe):
    checker, page = probe
    page.goto(ORIGIN + "/")
    page.get_by_role("link", name="Vers une page fautive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Défilement")
    page.title()  # the next use of the page checks the document the click led to
    assert [pattern for pattern, _ in checker.checked] == ["/", "/scroll/"]
    page.goto(ORIGIN + "/")
    page.get_by_role("button", name="Envoyer").click()  # a form post
    expect(page.get_by_role("heading", level=1)).to_have_text("Image")
    page.title()
    assert [pattern for pattern, _ in checker.checked] == ["/", "/scroll/", "/", "/image/"]
    found = sorted(rule for _, rule, _ in checker.findings)
    assert found == ["image-alt", "scrollable-region-focusable"]
    report = checker.report()
    assert "axe-core found 2 serious or critical accessibility violations" in report
    assert f"{ORIGIN}/scroll/ (viewport 1280 px wide)" in report
    assert "[serious] scrollable-region-focusable: Scrollable region must have keyboard" in report
    assert "[critical] image-alt: Images must have alternative text" in report
    assert "    - #boite\n      <div id=" in report
    checker.findings.clear()  # seen: the probe's own verdict is not the test's


def test_changes_in_place_are_checked_when_asked_and_at_the_end(probe):
    checker, page = probe
    page.goto(ORIGIN + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert not checker.findings  # nothing navigated: no check by itself
    page.check_a11y()
    assert [rule for _, rule, _ in checker.findings] == ["image-alt"]
    checker.findings.clear()
    # A document the test never touches again is checked at the end of the test.
    page.get_by_role("link", name="Vers une page fautive").click()
    page.wait_for_url(ORIGIN + "/scroll/")
    with pytest.raises(pytest.fail.Exception, match="scrollable-region-focusable"):
        checker.finish()
