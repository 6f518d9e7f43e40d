"""Who lands where once logged in."""

from vae.enums import Role


def can_access_admin(user) -> bool:
    # The permission, not is_staff: Wagtail checks the permission, and a staff member
    # without it sent to /admin/ would bounce straight back to the login page.
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def is_candidate(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CANDIDATE)
