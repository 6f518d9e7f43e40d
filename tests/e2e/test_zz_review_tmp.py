import pytest
from django.urls import reverse
from livret.models import Evidence, EvidencePage
from review.models import CriterionLink
from tests.factories import CandidacyFactory, EvaluatorFactory, make_panel
from vae.enums import CandidacyState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Budget-Tournage-2026"


def test_select(live_server, page, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    ev = Evidence.objects.get(dossier__candidacy=candidacy)
    EvidencePage.objects.create(evidence=ev, number=1, text="Bulletin de paie — janvier 2024\r\nSalaire brut : 2 400 € 😀 net")
    EvidencePage.objects.create(evidence=ev, number=2, text="Attestation employeur")
    panel = make_panel(candidacy)
    a = panel[0]
    a.evaluator.set_password(PASSWORD); a.evaluator.save()
    page.goto(f"{live_server.url}/compte/connexion/?next=/evaluation/")
    page.get_by_label("Adresse e-mail").fill(a.evaluator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/evaluation/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/rv_workspace.png", full_page=True)
    page.goto(live_server.url + reverse("review:dossier", args=[a.pk]))
    narrative = candidacy.dossier.narratives.order_by("activity__bloc__sort_order", "activity__sort_order").first()
    # select "Movie Magic Budgeting" in the first narrative, via a DOM range over the text node
    page.evaluate("""(word) => {
      const el = document.querySelector('[data-source^="narrative:"]');
      const node = el.firstChild; const i = node.textContent.indexOf(word);
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + word.length + 1);
      const s = document.getSelection(); s.removeAllRanges(); s.addRange(r);
    }""", "Movie Magic Budgeting")
    page.wait_for_timeout(600)
    print(page.locator("[data-passage-preview]").inner_text())
    print(page.input_value("#id_link-start"), page.input_value("#id_link-end"), page.input_value("#id_link-narrative"))
    page.screenshot(path="/tmp/rv_dossier.png")
    page.locator(".review-criteria__bloc > summary").first.click()
    page.locator("input[name=link-criteria]").first.check()
    page.get_by_role("button", name="Relier ce passage").click()
    page.wait_for_load_state()
    link = CriterionLink.objects.get()
    print("QUOTE", repr(link.quote), link.start, link.end, narrative.text[link.start:link.end])
    page.screenshot(path="/tmp/rv_dossier_after.png", full_page=False)
    # page view: select the emoji line after CRLF
    page.goto(live_server.url + reverse("review:evidence_page", args=[a.pk, ev.pk, 1]))
    page.evaluate("""() => {
      const el = document.querySelector('[data-source^="page:"]');
      const node = el.firstChild; const t = node.textContent; const i = t.indexOf('€');
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, t.length);
      const s = document.getSelection(); s.removeAllRanges(); s.addRange(r);
    }""")
    page.wait_for_timeout(600)
    print(page.locator("[data-passage-preview]").inner_text())
    page.locator(".review-criteria__bloc > summary").first.click()
    page.locator("input[name=link-criteria]").nth(3).check()
    page.screenshot(path="/tmp/rv_page_form.png", full_page=False)
    page.get_by_role("button", name="Relier ce passage").click()
    page.wait_for_load_state()
    link = CriterionLink.objects.order_by("pk").last()
    print("QUOTE2", repr(link.quote), link.start, link.end, link.kind)
    page.screenshot(path="/tmp/rv_page.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/rv_page_phone.png", full_page=False)
    page.goto(live_server.url + reverse("review:dossier", args=[a.pk]) + "#liens-candidat")
    page.screenshot(path="/tmp/rv_dossier_phone.png", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("review:dossier", args=[a.pk]) + "#couverture")
    page.screenshot(path="/tmp/rv_matrix.png", full_page=False)
    page.goto(live_server.url + reverse("review:dossier", args=[a.pk]) + "#mes-passages")
    page.screenshot(path="/tmp/rv_passages.png", full_page=False)
