"""Who may enter the Wagtail admin (``vae.navigation`` decides who lands where), who
must use a second factor, whose sessions are short, who manages accounts."""

from django.conf import settings

from vae.enums import Role
from vae.permissions import is_certifier, user_roles


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


# Roles whose holders read candidates' personal documents or decide on them: their
# sessions are short and they may (or must) use a second factor.
STAFF_ROLES = frozenset({Role.EVALUATOR, Role.JURY_MEMBER, Role.CERTIFIER})


def _roles_in(user, values) -> bool:
    return any(role.value in values for role in user_roles(user))


def is_staff_account(user) -> bool:
    """Whose session ends with the working day and on browser close."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.is_superuser or bool(user_roles(user) & STAFF_ROLES)


def requires_second_factor(user) -> bool:
    """Whether ``user`` must verify a second factor before any page: always whoever
    reaches the back office, and the roles of ``VAE_OTP_REQUIRED_ROLES``."""
    if not (user.is_authenticated and user.is_active):
        return False
    return can_access_admin(user) or _roles_in(user, settings.VAE_OTP_REQUIRED_ROLES)


def may_use_second_factor(user) -> bool:
    """Whether ``user`` may enrol a second factor (required or offered to their role)."""
    return requires_second_factor(user) or (
        user.is_authenticated and _roles_in(user, settings.VAE_OTP_OPTIONAL_ROLES)
    )


def can_manage_accounts(user) -> bool:
    """Who unlocks accounts and ends sessions in the back office: the certifiers."""
    return is_certifier(user)
