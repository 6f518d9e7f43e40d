from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


def _forget_tree(sender, instance, action, **kwargs):
    # The candidacy whose targeted blocs change reads its référentiel tree again.
    if action.startswith("post_") and hasattr(instance, "forget_tree"):
        instance.forget_tree()


def _create_role_groups(sender, **kwargs):
    from vae.roles import ensure_role_groups

    ensure_role_groups()


class VaeConfig(AppConfig):
    name = "vae"
    verbose_name = "VAE"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Sent for this app only, which is last in INSTALLED_APPS: once per migrate run,
        # after every other app's permissions exist.
        post_migrate.connect(_create_role_groups, sender=self, dispatch_uid="vae_role_groups")
        # Not at the top: the module reads models, which exist only once apps are ready.
        from vae.accounts.staff_sessions import connect_signals

        connect_signals()

        from vae.personal_data import core
        from vae.personal_data.registry import register_purger, register_section

        register_section("compte", collect=core.collect_account, files=core.account_files, rank=0)
        register_purger("documents", anonymise=core.delete_generated_documents)

        from vae import reminder_kinds

        reminder_kinds.register()

        from vae.models import Candidacy

        m2m_changed.connect(
            _forget_tree, sender=Candidacy.targeted_blocs.through, dispatch_uid="vae_forget_tree"
        )
