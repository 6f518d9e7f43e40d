"""Reads of the roof's pages that join the candidacy with the livrets."""

from django.db.models import Q

from vae.models import Candidacy


def candidacies():
    """Candidacies as the certifier's list shows them: candidate, version, livret 1 and the
    targeted blocs, in a fixed number of queries."""
    return Candidacy.objects.select_related(
        "candidate", "certification", "eligibility_request"
    ).with_targeted_blocs()


def search(queryset, text: str):
    """By candidate name or e-mail, every word having to match somewhere: the account's
    names and the names of livret 1 (birth and usage names)."""
    for word in (text or "").split():
        queryset = queryset.filter(
            Q(candidate__email__icontains=word)
            | Q(candidate__first_name__icontains=word)
            | Q(candidate__last_name__icontains=word)
            | Q(eligibility_request__birth_name__icontains=word)
            | Q(eligibility_request__usage_name__icontains=word)
        )
    return queryset
