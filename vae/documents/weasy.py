"""WeasyPrint itself: imported only by ``vae.documents.pdf.html_to_pdf``, when a PDF is
rendered, never when the apps load (it weighs tens of megabytes and most requests and
workers never render anything).

The PDFs carry people's own text (narratives, justifications): the templates escape it,
and WeasyPrint may read nothing but the files of one folder (or nothing at all), so a
URL someone typed can neither reach the network nor read a file of the server.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML, URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read the files of one folder (our style sheets) and nothing else;
    with no folder, nothing at all.

    A refused URL raises: WeasyPrint logs it and renders without the resource.
    """

    def __init__(self, root: Path | None):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = root.resolve() if root is not None else None

    def fetch(self, url, headers=None):
        if self.root is None:
            raise ValueError(f"Ressource externe refusée : {url}")
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Ressource non locale refusée : {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Fichier hors du dossier des gabarits refusé : {url}")
        return super().fetch(path.as_uri(), headers)


def write_pdf(html: str, base_dir: Path | None) -> bytes:
    base_url = base_dir.resolve().as_uri() + "/" if base_dir is not None else None
    document = HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyFetcher(base_dir))
    # Tagged PDF, so that a screen reader follows the headings and tables.
    return document.write_pdf(pdf_tags=True)
