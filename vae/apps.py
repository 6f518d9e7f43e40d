from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_role_groups(sender, **kwargs):
    from vae.roles import ensure_role_groups

    ensure_role_groups()


class VaeConfig(AppConfig):
    name = "vae"
    verbose_name = "VAE"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Once per migrate run, after every app's permissions exist.
        post_migrate.connect(_create_role_groups, dispatch_uid="vae_role_groups")
