from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The roof's pages: those that span several apps (the candidate's space, the
    certifier's candidacy pages and « À traiter »). They read every layer below; no
    layer reads them."""

    name = "portal"
    verbose_name = "Espaces"

    def ready(self):
        from vae import navigation
        from vae.enums import Role

        navigation.register_space(
            navigation.SpaceDefinition(
                "candidacy",
                "Ma candidature",
                "candidacy:dashboard",
                navigation.has_role(Role.CANDIDATE),
                header_rank=10,
                landing_rank=40,
            )
        )
