from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The roof's pages: those that span several apps (the candidate's space, the
    certifier's candidacy pages and « À traiter »). They read every layer below; no
    layer reads them."""

    name = "portal"
    verbose_name = "Espaces"
