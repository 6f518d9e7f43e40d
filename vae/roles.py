"""Role groups and the permissions each role carries.

Roles are plain Django groups so that Wagtail's group-based permissions work for staff.
The groups are (re)created after every migration, which keeps them in step with the
models' permissions without hand-written data migrations.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from vae.enums import Role

# Permissions granted to certifiers (staff): reach the Wagtail admin, edit the
# référentiel versions and the public pages.
CERTIFIER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    *[
        ("referentiel", f"{action}_{model}")
        for model in (
            "certification",
            "bloc",
            "activity",
            "competence",
            "criterion",
            "assessment",
            "compositionseat",
            "prerequisite",
            "certificationregistration",
        )
        for action in ("add", "change", "delete", "view")
    ],
    ("referentiel", "publish_certification"),
    # The retention policy (a Wagtail setting: Wagtail checks this model permission).
    ("vae", "change_retentionpolicy"),
    # The promotions' reference period (cohorts: a Wagtail setting too).
    ("cohorts", "change_promotionsettings"),
]


def _permissions(pairs):
    by_pair = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _, codename in pairs]
        )
    }
    return [by_pair[pair] for pair in pairs if pair in by_pair]


@transaction.atomic
def ensure_role_groups():
    groups = {}
    for role in Role:
        groups[role], _ = Group.objects.get_or_create(name=role.value)
    groups[Role.CERTIFIER].permissions.add(*_permissions(CERTIFIER_PERMISSIONS))
    _grant_page_permissions(groups[Role.CERTIFIER])
    return groups


def _grant_page_permissions(group):
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    for codename in ("add_page", "change_page", "publish_page", "delete_page"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def assign_role(user, role: Role):
    group, _ = Group.objects.get_or_create(name=Role(role).value)
    user.groups.add(group)
    if role == Role.CERTIFIER:
        # The groups' page permissions are granted after migrate, on the root page as it was
        # then: a flushed and rebuilt page tree (manage.py flush, a transactional test) has a
        # new root, so the certifier group is granted again whenever a certifier is named.
        _grant_page_permissions(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
