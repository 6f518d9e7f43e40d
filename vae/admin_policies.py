"""Wagtail permission policies for the back office's models: who may act is decided by
``vae.permissions.is_certifier``, here as everywhere, not by Django model permissions
(the certifier role group carries few of them)."""

from django.db.models import Q
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import BasePermissionPolicy

from vae import permissions
from vae.enums import Role
from vae.models import User


class CertifierPermissionPolicy(BasePermissionPolicy):
    """Every action on the model to certifiers, none to anyone else."""

    actions = None  # every action

    def _allows(self, user, actions) -> bool:
        if not permissions.is_certifier(user):
            return False
        return self.actions is None or any(action in self.actions for action in actions)

    def user_has_permission(self, user, action):
        return self._allows(user, [action])

    def user_has_any_permission(self, user, actions):
        return self._allows(user, actions)

    def users_with_any_permission(self, actions):
        if self.actions is not None and not any(action in self.actions for action in actions):
            return User.objects.none()
        return (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=Role.CERTIFIER.value))
            .distinct()
        )


class CertifierReadOnlyPolicy(CertifierPermissionPolicy):
    """Certifiers read, nobody writes: a log is evidence, not a record to edit."""

    actions = ("view",)


class CertifierMenuItem(MenuItem):
    """A back-office menu entry shown to certifiers only."""

    def is_shown(self, request):
        return permissions.is_certifier(request.user)
