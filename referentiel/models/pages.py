"""Public pages of the site, edited in Wagtail.

The certification page renders the référentiel straight from the versioned data: no
copy of blocs or critères lives in a page body, so the site can never drift from the
rules the platform applies.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from referentiel.caching import CachedForVisitors, referentiel_html
from referentiel.models.referentiel import Certification

DEFAULT_CERTIFICATION_CODE = "cqp-admin-production"


class HomePage(CachedForVisitors, Page):
    """The site root: presents the platform and points to the certification."""

    intro = models.TextField(_("chapeau"), blank=True)
    body = RichTextField(_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    subpage_types = [
        "referentiel.CertificationPage",
        "referentiel.ContentPage",
        "referentiel.FaqPage",
        "referentiel.PrivacyPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["menu_pages"] = self.get_children().live().public().specific()
        context["certification"] = Certification.objects.current(DEFAULT_CERTIFICATION_CODE)
        return context


class CertificationPage(CachedForVisitors, Page):
    """Presents the published version of a certification's référentiel."""

    certification_code = models.SlugField(
        _("code de la certification"),
        default=DEFAULT_CERTIFICATION_CODE,
        help_text=_("La page affiche la version publiée du référentiel portant ce code."),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("certification_code"), FieldPanel("intro")]
    parent_page_types = ["referentiel.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de la certification")

    def get_certification(self):
        return Certification.objects.current(self.certification_code)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        certification = self.get_certification()
        context["certification"] = certification
        # The référentiel itself is rendered once per version's content (the tree is
        # loaded only then): see referentiel.caching.
        context["referentiel"] = referentiel_html(certification) if certification else ""
        return context


class TextPage(CachedForVisitors, Page):
    """A chapeau and a rich text body, under the home page: what the free pages share."""

    intro = models.TextField(_("chapeau"), blank=True)
    body = RichTextField(_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["referentiel.HomePage"]
    subpage_types = []

    class Meta:
        abstract = True


class ContentPage(TextPage):
    """A page of free content, such as the règlement de la certification."""

    class Meta:
        verbose_name = _("page de contenu")


class PrivacyPage(TextPage):
    """The privacy notice (politique de confidentialité): its own type, one per site, so
    that the sign-up form and the footer of every page can find and link it while the
    certifier edits its text."""

    max_count = 1
    # Wagtail names each page type's template after it; this one reads as a content page.
    template = "referentiel/content_page.html"

    class Meta:
        verbose_name = _("politique de confidentialité")


class FaqPage(CachedForVisitors, Page):
    intro = models.TextField(_("chapeau"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("questions", label=_("Questions")),
    ]
    parent_page_types = ["referentiel.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("foire aux questions")


class FaqQuestion(Orderable):
    page = ParentalKey(FaqPage, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("question"), max_length=255)
    answer = RichTextField(_("réponse"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.question
