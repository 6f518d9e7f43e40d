"""Who may do what on the référentiel.

Certifiers (staff) edit the référentiel in the Wagtail admin, but only draft versions:
a published or retired version is what candidacies are pinned to, so no one — not
even a superuser — changes it. The same rule is enforced by the models themselves
(``VersionChild.save``), this policy makes the admin show it rather than fail on save.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from referentiel.enums import VersionStatus

LOCKED_ACTIONS = {"change", "delete"}


def is_editable(instance) -> bool:
    if instance is None or instance.pk is None:
        return True
    return instance.get_certification().is_editable


class ReferentielPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not is_editable(instance):
            actions = [action for action in actions if action not in LOCKED_ACTIONS]
        return bool(actions) and self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if set(actions) <= LOCKED_ACTIONS:
            queryset = queryset.filter(**{self.model.status_lookup(): VersionStatus.DRAFT})
        return queryset


def can_publish(user) -> bool:
    return user.is_active and user.has_perm("referentiel.publish_certification")


def can_create_draft(user) -> bool:
    return user.is_active and user.has_perm("referentiel.add_certification")
