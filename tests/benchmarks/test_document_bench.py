"""Figures for the generated PDFs on a big dossier (the whole référentiel, 40 pieces,
150 links, long narratives, a panel of four with their grids): the export request now
(the rendering queued, dummy tasks backend) against the rendering the request used to do.
Target: the export request answers in under 200 ms.

Run with ``make bench``; prints its figures and asserts no timing (a benchmark, not a
test). Not collected by ``make test``.
"""

import os
import statistics
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from livret.dossier.export import build_export, render_export
from livret.dossier.services import dossier_for
from livret.models import Narrative
from review.grid_pdf import build_grid, render_grid_pdf
from tests.accounts import log_in
from tests.documents import pdf_bytes
from tests.factories import make_grids
from tests.review.support import big_review
from vae.documents.tasks import generate
from vae.enums import DocumentKind, DocumentStatus
from vae.models import GeneratedDocument

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
RUNS = 10
# About 9,000 characters per activity: a candidate who wrote at length.
LONG_TEXT = "\n\n".join(
    "Sur le tournage de la série, j'ai établi le budget prévisionnel, négocié les devis "
    "des prestataires et suivi chaque semaine le plan de trésorerie avec le diffuseur. " * 4
    for _ in range(20)
)


def measure(label, func, *, before=None, repeat=RUNS):
    """Wall-clock and CPU medians (the machine is shared: CPU time is the request's own)."""
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(
        f"{label:<52} median {statistics.median(wall):8.1f} ms   max {max(wall):8.1f} ms"
        f"   CPU median {statistics.median(cpu):8.1f} ms   ({repeat} runs)"
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DUMMY_TASKS)
def test_document_figures(client, referentiel, certifier):
    candidacy, panel, _evidence = big_review(referentiel)
    make_grids(candidacy, panel)
    Narrative.objects.filter(dossier__candidacy=candidacy).update(text=LONG_TEXT)
    dossier = dossier_for(candidacy)
    log_in(client, certifier)
    export_url = reverse("livret:dossier_pdf_download", kwargs={"candidacy_pk": candidacy.pk})
    grid_url = reverse("review_admin:grid_pdf", args=[candidacy.pk])
    print(f"\nload average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")

    # Before: the request built and rendered the PDF itself.
    measure(
        "before: livret 2 rendered in the request",
        lambda: render_export(build_export(candidacy, dossier)),
        repeat=3,
    )
    measure(
        "before: grid rendered in the request",
        lambda: render_grid_pdf(build_grid(candidacy)),
        repeat=3,
    )

    # Now: the request computes the content's digest, writes the row and queues the task.
    version = iter(range(100, 1000))

    def change_the_dossier():
        # Outside the timing: a new narrative version, so that each request queues again.
        Narrative.objects.filter(pk=Narrative.objects.filter(dossier=dossier).first().pk).update(
            version=next(version)
        )

    def ask(url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")

    measure(
        "now: export request, changed dossier (queues)",
        lambda: ask(export_url),
        before=change_the_dossier,
    )
    measure("now: export request, rendering pending", lambda: ask(export_url))
    measure("now: grid request, rendering pending", lambda: ask(grid_url))

    # The worker's share, and the request once the PDF is stored.
    for kind in (DocumentKind.LIVRET2, DocumentKind.EVALUATION_GRID):
        document = GeneratedDocument.objects.get(candidacy=candidacy, kind=kind)
        start = time.perf_counter()
        assert generate(document.pk, document.version) == DocumentStatus.READY
        document.refresh_from_db()
        print(
            f"{'task: render and store ' + kind:<52} {1000 * (time.perf_counter() - start):8.1f}"
            f" ms   {document.size / 1024:.0f} kB, {document.sha256[:12]}…"
        )
    measure("now: export request, PDF stored (served)", lambda: pdf_bytes(client.get(export_url)))
    measure("now: grid request, PDF stored (served)", lambda: pdf_bytes(client.get(grid_url)))
