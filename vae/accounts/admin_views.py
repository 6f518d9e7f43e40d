"""The certifier's account security page in the back office (Wagtail admin): locked
addresses to unlock, open sessions to end, a lost second factor to reset.

Thin: who may act is ``can_manage_accounts``, the writes are the accounts services.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from vae.accounts import services, staff_sessions, throttling, two_factor
from vae.accounts.forms import email_field
from vae.accounts.permissions import can_manage_accounts
from vae.models import User, UserSession

HOME = reverse_lazy("account_security:index")


def _certifier_only(request) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied


class AccountSecurityView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "vae/admin/account_security.html"
    page_title = gettext_lazy("Sécurité des comptes")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        _certifier_only(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:254]
        enrolled_devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        sessions = staff_sessions.active_sessions()
        if query:
            sessions = sessions.filter(user__email__icontains=query)
        accounts = []
        if query:
            accounts = list(
                User.objects.filter(email__icontains=query)
                .annotate(second_factor=Exists(enrolled_devices))
                .order_by("email")[:20]
            )
        return super().get_context_data(
            query=query,
            locked=list(throttling.locked_accounts()),
            sessions=list(sessions[:200]),
            accounts=accounts,
            **kwargs,
        )


@require_POST
def unlock(request):
    _certifier_only(request)
    field = email_field()
    address = throttling.normalize_email(request.POST.get("address"))
    if address is None or len(address) > field.max_length:
        messages.error(request, _("Aucune adresse à débloquer n'a été indiquée."))
        return redirect(HOME)
    services.unlock_address(address=address, by=request.user)
    messages.success(
        request, _("La connexion de %(address)s est débloquée.") % {"address": address}
    )
    return redirect(HOME)


@require_POST
def end_session(request, pk: int):
    _certifier_only(request)
    user_session = get_object_or_404(UserSession.objects.select_related("user"), pk=pk)
    staff_sessions.end_session(user_session=user_session, by=request.user)
    messages.success(
        request,
        _("La session de %(user)s est terminée : sa prochaine page demandera une connexion.")
        % {"user": user_session.user.email},
    )
    return redirect(HOME)


@require_POST
def reset_second_factor(request, pk: int):
    _certifier_only(request)
    user = get_object_or_404(User, pk=pk)
    two_factor.reset_second_factor(user=user, by=request.user)
    messages.success(
        request,
        _(
            "La double authentification de %(user)s est réinitialisée : à sa prochaine "
            "connexion, il ou elle associera de nouveau une application."
        )
        % {"user": user.email},
    )
    return redirect(HOME)
