"""Livret 1: the candidate's eligibility request (demande de recevabilité).

Filled in online section by section; each section is saved on its own so that nothing
typed is lost. It belongs to one candidacy and is read-only once submitted, until the
certifier returns it.
"""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livret.enums import Civility, Domain, Sector, Situation, TrainingOutcome, WorkingTime
from livret.rules import identity_of, is_identity_name
from referentiel import french as fr

# The fields of each section, named once for the forms, the services and completeness.
# The longest free text a candidate writes in livret 1, in characters: a few paragraphs of
# details, a long job description. Forms refuse more with a French message that keeps the
# text; the database refuses it too (``text_within``), since TextField's max_length binds
# only forms and a service or a script can write these columns directly.
DETAILS_MAX_CHARS = 2_000
DESCRIPTION_MAX_CHARS = 4_000


def text_within(field: str, limit: int, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"{model}_{field}_max_length",
        violation_error_message=f"Ce texte dépasse {fr.number(limit)} caractères.",
    )


IDENTITY_FIELDS = (
    "civility",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "country",
    "phone",
)
SITUATION_FIELDS = ("situation", "current_employer", "current_job", "situation_details")
ACCOMMODATION_FIELDS = ("needs_accommodation", "accommodation_details")
EXPERIENCE_FIELDS = (
    "employer",
    "sector",
    "job_title",
    "domains",
    "start_date",
    "end_date",
    "ongoing",
    "duration_months",
    "working_time",
    "part_time_percent",
    "description",
)
TRAINING_FIELDS = ("title", "organisation", "year", "outcome")
IDENTITY_OPTIONAL_FIELDS = ("usage_name", "address_complement")


class EligibilityRequest(models.Model):
    """The candidate's livret 1: identity, situation, experiences, training, targets."""

    candidacy = models.OneToOneField(
        "vae.Candidacy", on_delete=models.PROTECT, related_name="eligibility_request"
    )

    # Identity
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    usage_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("commune de naissance"), max_length=150, blank=True)
    birth_country = models.CharField(_("pays de naissance"), max_length=100, blank=True)
    nationality = models.CharField(_("nationalité"), max_length=100, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=12, blank=True)
    city = models.CharField(_("commune"), max_length=150, blank=True)
    country = models.CharField(_("pays"), max_length=100, blank=True, default="France")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    identity_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Current situation
    situation = models.CharField(
        _("situation actuelle"), max_length=20, choices=Situation.choices, blank=True
    )
    current_employer = models.CharField(_("employeur actuel"), max_length=200, blank=True)
    current_job = models.CharField(_("emploi occupé"), max_length=200, blank=True)
    situation_details = models.TextField(_("précisions"), blank=True, max_length=DETAILS_MAX_CHARS)
    situation_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Training: the candidate says explicitly when there is nothing to declare, so an
    # empty list is an answer and not a forgotten section.
    no_training = models.BooleanField(
        _("je n'ai ni formation ni diplôme à déclarer"), default=False
    )

    # The targeted blocs are the candidacy's (``Candidacy.targeted_blocs``), chosen here.
    blocs_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Accommodations (situation de handicap). None: not answered yet.
    needs_accommodation = models.BooleanField(_("demande d'aménagement"), null=True, blank=True)
    accommodation_details = models.TextField(
        _("aménagements souhaités"), blank=True, max_length=DETAILS_MAX_CHARS
    )
    accommodation_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Sworn statement. Any later change elsewhere in the livret clears it: the candidate
    # swears to the content as it stands.
    sworn = models.BooleanField(_("déclaration sur l'honneur"), default=False)
    sworn_name = models.CharField(_("nom et prénom du signataire"), max_length=200, blank=True)
    sworn_place = models.CharField(_("fait à"), max_length=150, blank=True)
    sworn_at = models.DateTimeField(_("signée le"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("livret 1 (demande de recevabilité)")
        verbose_name_plural = _("livrets 1 (demandes de recevabilité)")
        constraints = [
            text_within("situation_details", DETAILS_MAX_CHARS, "eligibility"),
            text_within("accommodation_details", DETAILS_MAX_CHARS, "eligibility"),
        ]

    def __str__(self):
        return f"Livret 1 — {self.candidacy}"

    @property
    def display_name(self) -> str:
        last = self.usage_name or self.birth_name
        return " ".join(part for part in (self.first_names, last) if part)

    @property
    def signing_identity(self):
        """The names the candidate may sign with: this identity and their account's."""
        return identity_of(
            first_names=self.first_names,
            birth_name=self.birth_name,
            usage_name=self.usage_name,
            account=self.candidacy.candidate,
        )

    @property
    def sworn_name_mismatch(self) -> bool:
        """A recorded signature that is not the candidate's name (signed before names were
        checked): the back office warns about it."""
        return bool(self.sworn_name) and not is_identity_name(
            self.sworn_name, self.signing_identity
        )

    def clear_sworn_statement(self):
        """Unsign: called whenever the content the candidate swore to changes."""
        if self.sworn or self.sworn_at:
            self.sworn = False
            self.sworn_at = None
            return True
        return False

    def sign(self, *, name, place):
        self.sworn = True
        self.sworn_name = name
        self.sworn_place = place
        self.sworn_at = timezone.now()


class Experience(models.Model):
    """One professional experience the candidate puts forward."""

    request = models.ForeignKey(
        EligibilityRequest, on_delete=models.CASCADE, related_name="experiences"
    )
    employer = models.CharField(_("employeur ou structure"), max_length=200)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    job_title = models.CharField(_("fonction occupée"), max_length=200)
    domains = models.JSONField(_("domaines"), default=list, blank=True)
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    ongoing = models.BooleanField(_("emploi actuel"), default=False)
    duration_months = models.PositiveSmallIntegerField(
        _("durée totale en mois"), null=True, blank=True
    )
    working_time = models.CharField(
        _("temps de travail"), max_length=10, choices=WorkingTime.choices
    )
    part_time_percent = models.PositiveSmallIntegerField(
        _("quotité (% d'un temps plein)"), null=True, blank=True
    )
    description = models.TextField(_("activités exercées"), max_length=DESCRIPTION_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expérience")
        verbose_name_plural = _("expériences")
        ordering = ["-start_date", "pk"]
        constraints = [text_within("description", DESCRIPTION_MAX_CHARS, "experience")]

    def __str__(self):
        return f"{self.job_title} — {self.employer}"

    def get_domains_display(self) -> list[str]:
        labels = dict(Domain.choices)
        return [str(labels.get(code, code)) for code in self.domains]


class Training(models.Model):
    """A training course or diploma the candidate declares."""

    request = models.ForeignKey(
        EligibilityRequest, on_delete=models.CASCADE, related_name="trainings"
    )
    title = models.CharField(_("intitulé de la formation ou du diplôme"), max_length=250)
    organisation = models.CharField(_("organisme ou établissement"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    outcome = models.CharField(_("résultat"), max_length=12, choices=TrainingOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("formation ou diplôme")
        verbose_name_plural = _("formations et diplômes")
        ordering = ["-year", "pk"]

    def __str__(self):
        return f"{self.title} ({self.year})"
