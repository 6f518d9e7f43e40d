"""Generated documents (PDFs): requested by a page, rendered in a task, stored privately
with their SHA-256, served from storage.

- ``registry``: each owning app registers, in its ``AppConfig.ready()``, how to render a
  kind of document and who may read it (the core knows no livret nor review);
- ``services.request_document``: creates or reuses the row and queues the rendering after
  the commit; ``services.generate``: what the task does;
- ``pdf.html_to_pdf``: the one HTML → PDF helper (WeasyPrint, local files only);
- ``presentation``: the status in French, for the pages and the live status endpoint;
- ``views``: the status endpoint and the download, permission-checked.
"""
