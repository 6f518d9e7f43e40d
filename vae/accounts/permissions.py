"""Who may enter the Wagtail admin (``vae.navigation`` decides who lands where)."""

from vae.enums import Role
from vae.permissions import user_roles


def can_access_admin(user) -> bool:
    """Whether the Wagtail admin would let ``user`` in.

    Wagtail checks the permission, not is_staff: a staff member without it sent to
    /admin/ would bounce straight back to the login page. Superusers hold every
    permission and certifiers hold it through their role group (``vae.roles``): neither
    costs a query, which matters as the site header asks on every page. Anyone else is
    asked only when staff: the project marks whoever works in the back office as staff
    (``vae.roles.assign_role``), so the permission alone on a candidate, an evaluator or
    a jury member is a slip of configuration, not a door to open.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or Role.CERTIFIER in user_roles(user):
        return True
    return user.is_staff and user.has_perm("wagtailadmin.access_admin")
