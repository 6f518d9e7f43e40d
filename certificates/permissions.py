"""Who may read and manage issued documents (one policy: ``CREDENTIALS``)."""

from vae import permissions as vae_permissions


def can_manage(user) -> bool:
    """Issuing, rectifying and cancelling: certifiers."""
    return vae_permissions.is_certifier(user)


class CredentialPolicy:
    """An issued document: certifiers; its holder (the candidacy's candidate), whatever its
    status, since a rectified one explains itself. Jury members and evaluators see the
    decision, not the documents."""

    def can(self, user, credential) -> bool:
        return can_manage(user) or vae_permissions.is_owner(user, credential.candidacy)

    def scope(self, queryset, user):
        if can_manage(user):
            return queryset
        if not user.is_authenticated or not user.is_active:
            return queryset.none()
        return queryset.filter(candidacy__candidate=user)


CREDENTIALS = CredentialPolicy()
