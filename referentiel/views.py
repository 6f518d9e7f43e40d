from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from referentiel import services
from referentiel.models import Certification
from referentiel.permissions import can_create_draft, can_publish


class _VersionActionView(TemplateView):
    """Confirm then perform an action on a référentiel version (Wagtail admin)."""

    template_name = "referentiel/admin/confirm_version_action.html"
    heading = ""
    question = ""
    submit_label = ""
    # Who may act: a function of the user, from referentiel.permissions.
    allowed = staticmethod(lambda user: False)

    def dispatch(self, request, *args, pk, **kwargs):
        self.certification = get_object_or_404(Certification, pk=pk)
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certification=self.certification,
            heading=self.heading,
            question=self.question,
            submit_label=self.submit_label,
            problems=self.get_problems(),
            list_url=reverse("wagtailsnippets_referentiel_certification:list"),
            **kwargs,
        )

    def get_problems(self):
        return []

    def post(self, request, *args, **kwargs):
        try:
            result = self.perform()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.get(request, *args, **kwargs)
        messages.success(request, self.success_message(result))
        return redirect("wagtailsnippets_referentiel_certification:list")


class PublishVersionView(_VersionActionView):
    heading = "Publier une version du référentiel"
    question = (
        "Une fois publiée, cette version ne pourra plus être modifiée et remplacera la "
        "version en vigueur, qui sera retirée (les candidatures déjà rattachées la gardent)."
    )
    submit_label = "Publier"

    allowed = staticmethod(can_publish)

    def get_problems(self):
        if not self.certification.is_editable:
            return ["Cette version n'est pas un brouillon : elle ne peut pas être publiée."]
        return services.check_publishable(self.certification)

    def perform(self):
        return services.publish_version(self.certification, by=self.request.user)

    def success_message(self, result):
        return f"Version {result.version} publiée."


class NewDraftView(_VersionActionView):
    heading = "Créer un brouillon"
    question = (
        "Une copie modifiable de cette version sera créée en brouillon. La version en vigueur "
        "reste appliquée tant que le brouillon n'est pas publié."
    )
    submit_label = "Créer le brouillon"

    allowed = staticmethod(can_create_draft)

    def perform(self):
        return services.create_draft_from(self.certification, by=self.request.user)

    def success_message(self, result):
        return f"Brouillon version {result.version} créé : vous pouvez le modifier."
