"""The certifier's forms of the jury (Wagtail admin): members, sessions, composition,
scheduling. They collect what the certifier chose; whether it holds is the service's and
the state machine's call, which words the refusal."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from jury.enums import Modality, SessionStatus
from jury.models import ADDRESS_MAX_CHARS, NOTE_MAX_CHARS, JuryMember, JurySession
from jury.rules import MAX_YEARS_AHEAD, add_months
from referentiel import french as fr
from review.admin_forms import limit_person_field
from vae.enums import Role
from vae.forms import FreeTextField

REASON_MAX_CHARS = 2_000


class JuryMemberForm(WagtailAdminModelForm):
    """A person's jury profile; only people holding the jury role."""

    class Meta:
        model = JuryMember
        fields = ["user", "college", "civility", "qualified", "active", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_person_field(self, role=Role.JURY_MEMBER, profile="jury_member")
        self.fields["college"].help_text = _("Le siège qu'elle peut occuper dans un jury.")
        self.fields["civility"].help_text = _(
            "Sert à vérifier l'équilibre entre femmes et hommes du jury."
        )
        self.fields["active"].help_text = _(
            "Un membre inactif n'est plus proposé pour les sessions ; l'historique reste."
        )


def _time_field(label):
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Indiquez l'heure (hh:mm)."),
            "invalid": _("Indiquez une heure valide (hh:mm)."),
        },
    )


class SessionForm(forms.ModelForm):
    """A new session: its day, hours and place."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date de la session."),
            "invalid": _("Indiquez une date valide (jj/mm/aaaa)."),
        },
    )
    start_time = _time_field(_("Début"))
    end_time = _time_field(_("Fin"))
    address = FreeTextField(
        label=_("Adresse (présentiel)"),
        max_length=ADDRESS_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visio_link = forms.URLField(
        label=_("Lien de visioconférence (à distance)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Indiquez une adresse web complète (https://…).")},
    )

    class Meta:
        model = JurySession
        fields = ["date", "start_time", "end_time", "modality", "address", "visio_link"]
        widgets = {"modality": forms.RadioSelect}

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("La date de la session est passée."))
        if day > add_months(today, 12 * MAX_YEARS_AHEAD):
            raise forms.ValidationError(_("Une session se prévoit au plus deux ans à l'avance."))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("L'heure de fin doit suivre l'heure de début."))
        modality = cleaned.get("modality")
        if modality == Modality.ON_SITE and not cleaned.get("address", "").strip():
            self.add_error("address", _("Indiquez l'adresse de la session en présentiel."))
        if modality == Modality.REMOTE and not cleaned.get("visio_link", ""):
            self.add_error("visio_link", _("Indiquez le lien de la session à distance."))
        return cleaned

    def _post_clean(self):
        # The model's constraints are checked by the service with French messages; the
        # form does not validate an instance without its version and author yet.
        pass


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        parts = [str(member), member.get_civility_display()]
        if member.qualified:
            parts.append(str(_("qualifié pour la certification")))
        if member.organisation:
            parts.append(member.organisation)
        return " — ".join(parts)


class CompositionForm(forms.Form):
    """One select per seat of the référentiel's jury composition, and the président."""

    def __init__(self, *args, session, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat_fields = []
        current = {}
        for seat in session.seats.all():
            current.setdefault(seat.role, []).append(seat.member_id)
        for seat in spec:
            queryset = JuryMember.objects.active().filter(college=seat.role).select_related("user")
            names = []
            for index in range(1, seat.count + 1):
                name = f"seat_{seat.role}_{index}"
                held = current.get(seat.role, [])
                self.fields[name] = MemberChoiceField(
                    queryset=queryset,
                    required=False,
                    label=seat.label if seat.count == 1 else f"{seat.label} ({index}/{seat.count})",
                    empty_label=_("— Choisir —"),
                    initial=held[index - 1] if len(held) >= index else None,
                    error_messages={
                        "invalid_choice": _(
                            "Ce membre n'est plus disponible : choisissez-en un autre."
                        )
                    },
                )
                names.append(name)
            self.seat_fields.append((seat, names))
        self.fields["president"] = MemberChoiceField(
            queryset=JuryMember.objects.active().select_related("user"),
            required=False,
            label=_("Président du jury"),
            empty_label=_("— Choisir —"),
            initial=session.president_id,
            help_text=_("L'un des membres choisis ci-dessus ; sa voix départage le jury."),
        )

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for _seat, names in self.seat_fields:
            for name in names:
                member = cleaned.get(name)
                if member is not None and member.pk in seen:
                    self.add_error(name, _("Ce membre occupe déjà un autre siège."))
                if member is not None:
                    seen.add(member.pk)
        president = cleaned.get("president")
        if president is not None and president.pk not in seen:
            self.add_error("president", _("Le président doit être l'un des membres choisis."))
        return cleaned

    def members_by_role(self) -> dict:
        return {
            seat.role: [self.cleaned_data[n] for n in names if self.cleaned_data.get(n)]
            for seat, names in self.seat_fields
        }


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return (
            f"{fr.date(session.date, weekday=True)}, {fr.time(session.start_time)} – "
            f"{fr.time(session.end_time)} ({session.get_modality_display().lower()})"
        )


class ScheduleForm(forms.Form):
    """A session and a start time for one candidacy; a reason when it is a rescheduling."""

    session = SessionChoiceField(
        queryset=JurySession.objects.none(),
        label=_("Session"),
        empty_label=_("— Choisir —"),
        error_messages={
            "required": _("Choisissez une session."),
            "invalid_choice": _("Cette session n'est plus proposée : choisissez-en une autre."),
        },
    )
    start = _time_field(_("Heure de passage"))
    extra_minutes = forms.IntegerField(
        label=_("Temps supplémentaire accordé (minutes)"),
        min_value=0,
        max_value=240,
        initial=0,
        help_text=_("Au titre d'un aménagement (situation de handicap) ; 0 sinon."),
        error_messages={
            "min_value": _("Le temps supplémentaire ne peut être négatif."),
            "max_value": _("Au plus 240 minutes de temps supplémentaire."),
            "invalid": _("Indiquez un nombre entier de minutes."),
        },
    )
    accommodation_note = FreeTextField(
        label=_("Aménagements accordés"),
        max_length=NOTE_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Figurent sur la convocation du candidat et sur l'ordre de passage du jury."),
    )

    def __init__(self, *args, candidacy, rescheduling=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = JurySession.objects.filter(
            status=SessionStatus.PLANNED,
            date__gte=timezone.localdate(),
            certification__code=candidacy.certification_code,
        ).order_by("date", "start_time")
        if rescheduling:
            self.fields["reason"] = FreeTextField(
                label=_("Motif du report"),
                max_length=REASON_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Communiqué au candidat avec sa nouvelle convocation."),
                error_messages={
                    "required": _(
                        "Le motif du report est obligatoire : il est communiqué au candidat."
                    )
                },
            )
