"""Who may do what on the référentiel.

Certifiers (staff) edit the référentiel in the Wagtail admin, but only draft versions:
a published or retired version is what candidacies are pinned to, so no one — not
even a superuser — changes it. The same rule is enforced by the models themselves
(``VersionChild.save``), this policy makes the admin show it rather than fail on save.
"""

from wagtail.permission_policies import ModelPermissionPolicy

LOCKED_ACTIONS = {"change", "delete"}


def version_of(instance):
    if hasattr(instance, "get_certification"):
        return instance.get_certification()
    return instance


def is_editable(instance) -> bool:
    if instance is None or instance.pk is None:
        return True
    return version_of(instance).is_editable


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
            lookup = {
                "Certification": "status",
                "Bloc": "certification__status",
                "Activity": "bloc__certification__status",
                "Competence": "activity__bloc__certification__status",
            }.get(self.model.__name__)
            if lookup:
                queryset = queryset.filter(**{lookup: "draft"})
        return queryset


def can_publish(user) -> bool:
    return user.is_active and user.has_perm("referentiel.publish_certification")
