"""The Content-Security-Policy in the browser: the listener every browser test carries
(tests/e2e/csp.py) catches a violation; the evaluator's PDF viewer, the candidate's pages
and the Wagtail admin (its sidebar, date pickers, the candidacy and review pages) work
under the policy, with no violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from livret.dossier.evidence.tasks import extract
from review.models import Assignment
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import CandidacyState, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INLINE_SCRIPT_PAGE = """<!doctype html><html lang="fr"><head><title>Essai</title></head>
<body><main><h1>Essai</h1><p>Rien.</p>
<script>document.title = "exécuté";</script></main></body></html>"""


def test_the_listener_reports_an_inline_script_refused(browser_page, csp_watcher):
    context, page = browser_page
    context.route(
        "**/essai-csp/",
        lambda route: route.fulfill(
            body=INLINE_SCRIPT_PAGE,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "script-src 'self'"},
        ),
    )
    page.goto("/essai-csp/")
    expect(page.get_by_role("heading", name="Essai")).to_be_visible()
    assert page.title() == "Essai"  # the inline script did not run
    assert [v["directive"] for v in csp_watcher.violations] == ["script-src-elem"]
    assert csp_watcher.violations[0]["page"].endswith("/essai-csp/")
    # Seen and checked: the test itself must not fail on it.
    csp_watcher.violations.clear()


def test_the_evaluator_reads_a_pdf_piece_in_its_frame(
    live_server, browser_page, sign_in, referentiel
):
    context, page = browser_page
    candidacy = CandidacyFactory(under_review=True)
    evidence = candidacy.dossier.evidence.get()
    extract(evidence.pk)  # the pages the viewer shows
    assignment = Assignment.objects.active().filter(candidacy=candidacy).first()
    assert candidacy.state == CandidacyState.UNDER_REVIEW
    assert evidence.content_type == "application/pdf" and assignment.declared_at
    sign_in(context, assignment.evaluator)
    path = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    with page.expect_response(lambda response: "inline=1" in response.url) as file_response:
        page.goto(path)
    response = file_response.value
    # all_headers(): `headers` holds only what Chromium saw before the viewer took over.
    headers = response.all_headers()
    assert response.status == 200
    assert headers["content-type"] == "application/pdf"
    # The file's own policy: it loads and runs nothing, and only we may frame it.
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    viewer = page.locator("iframe.review-viewer")
    expect(viewer).to_be_visible()
    # The frame holds the PDF (Chromium's viewer), not an error page of a refused load.
    frame = next(frame for frame in page.frames if "inline=1" in frame.url)
    assert frame.evaluate("document.contentType") == "application/pdf"


def test_the_candidate_pages_with_scripts_run_under_the_policy(
    live_server, browser_page, sign_in, referentiel
):
    context, page = browser_page
    # Recevable: livret 2 is being written, its pages editable (autosave, the pieces' status).
    candidacy = CandidacyFactory(eligible=True)
    assert candidacy.dossier.evidence.exists()
    sign_in(context, candidacy.candidate)
    on_livret = {"candidacy_pk": candidacy.pk}
    for name in ("livret:dossier", "livret:evidence_list", "livret:narratives"):
        page.goto(reverse(name, kwargs=on_livret))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The scripts are files of our own, and they ran: the status script marks its list.
    page.goto(reverse("livret:evidence_list", kwargs=on_livret))
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0


def test_the_admin_and_its_widgets_work_under_the_admin_policy(
    live_server, browser_page, sign_in, referentiel
):
    context, page = browser_page
    certifier = UserFactory(role=Role.CERTIFIER)
    candidacy = CandidacyFactory(under_review=True, certifier=certifier)
    sign_in(context, certifier)
    page.goto("/admin/")
    # Wagtail's sidebar is drawn by its scripts: present only if they ran.
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    page.goto(reverse("candidacy_admin:list"))
    # The filters' date pickers are started by the inline <script> Wagtail writes after
    # each date input (what the admin's addition to the policy is for): each one started
    # builds its (hidden) picker, two dates for each of the two date filters.
    expect(page.locator("#id_created_0")).to_be_attached()
    expect(page.locator(".xdsoft_datetimepicker")).to_have_count(4)
    page.goto(reverse("candidacy_admin:detail", args=[candidacy.pk]))
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    page.goto(reverse("review_admin:panel", args=[candidacy.pk]))
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
