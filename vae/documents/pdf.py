"""The one HTML → PDF helper of the platform, used by every document renderer."""

from pathlib import Path

from django.template.loader import get_template, render_to_string


def template_dir(template_name: str) -> Path:
    """The folder of a print template: the only place its PDF may read files from."""
    return Path(get_template(template_name).origin.name).resolve().parent


def html_to_pdf(html: str, *, base_dir: Path | None = None) -> bytes:
    """Render HTML to PDF bytes; relative URLs resolve in ``base_dir``, the only folder
    WeasyPrint may read (none: it reads nothing). Fonts come from the system (DejaVu,
    named in the style sheets); nothing is downloaded."""
    # Imported here, not at module load: WeasyPrint (with Pango, fontTools…) stays out of
    # the memory of the web processes until a PDF is actually rendered, in a task.
    from vae.documents import weasy

    return weasy.write_pdf(html, base_dir)


def render_template_pdf(template_name: str, context: dict, *, local_files: bool = True) -> bytes:
    """Render a print template to PDF; it may read the files of its own folder."""
    html = render_to_string(template_name, context)
    return html_to_pdf(html, base_dir=template_dir(template_name) if local_files else None)
