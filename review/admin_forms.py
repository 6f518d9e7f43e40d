"""The certifier's forms of the review (Wagtail admin): panel, removal, evaluator profiles.

The forms only collect what the certifier chose; whether the panel is acceptable is the
service's call (``review.services.assign_panel``), which words the refusal.
"""

import datetime

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from referentiel import ids
from referentiel.french import plural
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.models import Assignment, EvaluatorProfile
from vae.enums import Role
from vae.models import User


def person_name(user) -> str:
    return user.get_full_name() or user.email


def eligible_evaluators(candidacy, category):
    """Who can take a seat of ``category`` on this panel.

    Evaluators with a profile of that category, not the candidate, not already on the
    panel, and not someone who declared knowing this candidate. ``workload`` is the
    number of panels they currently sit on, shown to spread the work.
    """
    on_this_panel = Assignment.objects.filter(candidacy=candidacy, evaluator=OuterRef("pk")).filter(
        Q(status__in=HOLDING_STATUSES) | Q(status=AssignmentStatus.CONFLICT)
    )
    return (
        User.objects.filter(
            is_active=True,
            groups__name=Role.EVALUATOR.value,
            evaluator_profile__category=category,
        )
        .exclude(pk=candidacy.candidate_id)
        .exclude(Exists(on_this_panel))
        .annotate(
            workload=Count(
                "assignments",
                filter=Q(assignments__status__in=HOLDING_STATUSES),
                distinct=True,
            )
        )
        .select_related("evaluator_profile")
        .order_by("last_name", "first_name", "pk")
    )


class EvaluatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        parts = [person_name(user)]
        organisation = user.evaluator_profile.organisation
        if organisation:
            parts.append(organisation)
        workload = getattr(user, "workload", 0)
        if workload:
            parts.append(plural(workload, "dossier en cours", "dossiers en cours"))
        else:
            parts.append(str(_("aucun dossier en cours")))
        return " — ".join(parts)


class PanelForm(forms.Form):
    """One select per free seat of the référentiel's composition, and the due date.

    The selects are optional on purpose: a panel left incomplete is refused by the
    service, which says which seats are missing.
    """

    due_date = forms.DateField(
        label=_("À rendre avant le"),
        # A native date field: the browser's own picker, keyboard accessible, and the ISO
        # value it sends is accepted whatever the locale.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date à laquelle les grilles doivent être remises."),
            "invalid": _("Indiquez une date valide (jj/mm/aaaa)."),
        },
    )

    def __init__(self, *args, candidacy, free_seats, default_due_date, **kwargs):
        kwargs.setdefault("auto_id", "id_panel_%s")
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = default_due_date
        self.seat_fields = []  # (seat, [field names]) for the template's fieldsets
        order = []
        for seat in free_seats:
            queryset = eligible_evaluators(candidacy, seat.role)
            names = []
            for index in range(1, seat.free + 1):
                name = f"seat_{seat.role}_{index}"
                label = seat.label if seat.free == 1 else f"{seat.label} ({index}/{seat.free})"
                self.fields[name] = EvaluatorChoiceField(
                    queryset=queryset,
                    required=False,
                    label=label,
                    empty_label=_("— Choisir —"),
                    error_messages={
                        "invalid_choice": _(
                            "Cette personne ne peut plus occuper ce siège : choisissez-en une "
                            "autre dans la liste."
                        )
                    },
                )
                names.append(name)
            self.seat_fields.append((seat, names))
            order.extend(names)
        self.order_fields([*order, "due_date"])

    @property
    def seat_groups(self):
        return [(seat, [self[name] for name in names]) for seat, names in self.seat_fields]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("L'échéance ne peut pas être dans le passé."))
        if due > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("L'échéance doit tomber dans l'année qui vient."))
        return due

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for _seat, names in self.seat_fields:
            for name in names:
                user = cleaned.get(name)
                if user is None:
                    continue
                if user.pk in seen:
                    self.add_error(
                        name,
                        _("%(name)s est déjà choisi(e) pour un autre siège.")
                        % {"name": person_name(user)},
                    )
                seen.add(user.pk)
        return cleaned

    def evaluators(self) -> list:
        """The people chosen, in the order of the seats."""
        return [
            self.cleaned_data[name]
            for _seat, names in self.seat_fields
            for name in names
            if self.cleaned_data.get(name) is not None
        ]


class RemoveForm(forms.Form):
    """Ends one assignment; the reason is kept in the review's log."""

    assignment = ids.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif du retrait"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif du retrait.")},
    )

    def __init__(self, *args, assignment, **kwargs):
        kwargs.setdefault("auto_id", f"id_remove_{assignment.pk}_%s")
        super().__init__(*args, **kwargs)
        self.target = assignment
        self.fields["assignment"].initial = assignment.pk


def limit_person_field(form, *, role, profile: str) -> None:
    """The « Personne » of a profile form: the people holding ``role`` who have no
    ``profile`` yet; on an existing profile, its person only: the profile stays with its
    person (change the seat, not the owner)."""
    users = User.objects.filter(is_active=True, groups__name=Role(role).value)
    if form.instance.pk:
        users = users.filter(pk=form.instance.user_id)
        form.fields["user"].disabled = True
    else:
        users = users.filter(**{f"{profile}__isnull": True})
    field = form.fields["user"]
    field.queryset = users.order_by("last_name", "first_name", "pk")
    field.label_from_instance = lambda user: f"{person_name(user)} ({user.email})"
    field.label = _("Personne")
    field.help_text = _(
        "Seules les personnes ayant le rôle « %(role)s » et pas encore de profil sont proposées."
    ) % {"role": Role(role).label}


class EvaluatorProfileForm(WagtailAdminModelForm):
    """A person's seat category on panels; only people holding the evaluator role."""

    class Meta:
        model = EvaluatorProfile
        fields = ["user", "category", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_person_field(self, role=Role.EVALUATOR, profile="evaluator_profile")
        self.fields["category"].help_text = _(
            "Le siège qu'elle peut occuper dans un jury d'évaluation. Changer la catégorie ne "
            "déplace pas une personne déjà affectée à un dossier."
        )
        self.fields["organisation"].help_text = _(
            "Entreprise, organisme de formation ou instance qu'elle représente."
        )
