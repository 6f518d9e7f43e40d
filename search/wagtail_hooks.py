"""Search in the Wagtail admin: the synonym list, edited by certifiers only (as every
back-office model, by ``vae.permissions.is_certifier``, not model permissions)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from search.admin_forms import SynonymForm
from search.models import Synonym
from vae.admin_policies import CertifierPermissionPolicy

# Registered before the viewset, which would otherwise fall back on model permissions.
register_permission_policy(Synonym, CertifierPermissionPolicy(Synonym), exact_class=True)


class SynonymViewSet(ModelViewSet):
    model = Synonym
    pk_path_converter = "id"  # referentiel.ids: 404, not 500, on an id out of range
    name = "search_synonyms"
    icon = "search"
    menu_label = _("Synonymes de recherche")
    add_to_admin_menu = True
    menu_order = 900
    copy_view_enabled = False
    list_display = ["term", "equivalents", "updated_at"]
    search_fields = ["term", "equivalents"]
    ordering = ["term"]

    def get_form_class(self, for_update=False):
        return SynonymForm


synonyms = SynonymViewSet()


@hooks.register("register_admin_viewset")
def register_synonyms():
    return synonyms
