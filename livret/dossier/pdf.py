"""PDF rendering of our own print templates (``templates/livret/pdf/``) with WeasyPrint.

The PDFs are built from the candidate's own text: it is always escaped by the templates,
and WeasyPrint may read nothing but the files of that template folder (no network, no
other file), so a narrative cannot make the server fetch anything.
"""

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import get_template, render_to_string
from weasyprint import HTML, URLFetcher

# The livret 2 print template; its folder is the only place a PDF we render may read from.
PDF_TEMPLATE = "livret/pdf/livret2.html"


@cache
def pdf_template_dir() -> Path:
    return Path(get_template(PDF_TEMPLATE).origin.name).resolve().parent


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read the files of one folder (our style sheets) and nothing else.

    A refused URL raises: WeasyPrint logs it and renders without the resource, so a
    stray URL can neither reach the network nor read a file of the server.
    """

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Ressource non locale refusée : {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Fichier hors du dossier des gabarits refusé : {url}")
        return super().fetch(path.as_uri(), headers)


def html_to_pdf(html: str) -> bytes:
    """Render HTML (from a template of ``templates/livret/pdf/``) to PDF bytes.

    Fonts come from the system (DejaVu, named in the style sheets); nothing is downloaded.
    The PDF is tagged so that screen readers can follow its structure.
    """
    root = pdf_template_dir()
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=LocalOnlyFetcher(root))
    return document.write_pdf(pdf_tags=True)


def render_template_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
