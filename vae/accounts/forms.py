"""Account forms. Labels, messages and autocomplete tokens are set here so that the
templates can render every field the same way (templates/includes/field.html)."""

from axes.helpers import get_cool_off
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from referentiel import french as fr
from vae.accounts import throttling
from vae.accounts.reauth import TooManyAttempts, confirm_password
from vae.emails import send_templated_email, site_url
from vae.forms import PersonNameField

User = get_user_model()

EMAIL_ERRORS = {
    "required": _("Indiquez votre adresse e-mail."),
    "invalid": _("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."),
}


EMAIL_LABEL = _("Adresse e-mail")
PASSWORD_LABEL = _("Mot de passe")


def email_field(label=EMAIL_LABEL, **kwargs):
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
        **kwargs,
    )


def name_fields():
    first_name = PersonNameField(
        label=_("Prénom"),
        max_length=150,
        error_messages={"required": _("Indiquez votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = PersonNameField(
        label=_("Nom"),
        max_length=150,
        error_messages={"required": _("Indiquez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    return first_name, last_name


def current_password_field(label=PASSWORD_LABEL):
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": _("Indiquez votre mot de passe.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _french_password_fields(form, first, second):
    form.fields[first].error_messages["required"] = _("Choisissez un mot de passe.")
    form.fields[second].error_messages["required"] = _("Confirmez le mot de passe.")
    form.fields[second].help_text = _("Saisissez le même mot de passe, pour vérification.")


class SignupForm(SetPasswordMixin, forms.Form):
    first_name, last_name = name_fields()
    email = email_field(
        help_text=_("Elle sera votre identifiant et recevra les messages sur votre démarche.")
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Mot de passe"), label2=_("Confirmation du mot de passe")
    )
    accept_privacy = forms.BooleanField(
        label=_(
            "J'ai lu la notice d'information sur mes données personnelles et j'accepte "
            "leur traitement pour ma démarche de VAE."
        ),
        error_messages={
            "required": _(
                "Pour créer un compte, acceptez la notice d'information sur les données "
                "personnelles."
            )
        },
    )

    error_messages = {"password_mismatch": _("Les deux mots de passe ne sont pas identiques.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_password_fields(self, "password1", "password2")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        self.validate_passwords()
        # An unsaved user, so that the similarity validator compares the password with
        # the names and address just typed.
        candidate = User(
            email=cleaned_data.get("email", ""),
            first_name=cleaned_data.get("first_name", ""),
            last_name=cleaned_data.get("last_name", ""),
        )
        self.validate_password_for_user(candidate, password_field_name="password1")
        return cleaned_data


class ResendConfirmationForm(forms.Form):
    email = email_field()


class LoginForm(AuthenticationForm):
    """Django's login form in French, telling an unconfirmed account apart.

    Only someone who typed the right password learns that the account waits for its
    confirmation, so this reveals nothing to a stranger.
    """

    username = email_field()
    password = current_password_field()

    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
        "inactive": _(
            "Confirmez d'abord votre adresse e-mail : ouvrez le lien reçu par e-mail "
            "après votre inscription."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs["autofocus"] = True
        self.inactive_account = False

    def get_invalid_login_error(self):
        if self._is_unconfirmed_account():
            self.inactive_account = True
            return ValidationError(self.error_messages["inactive"], code="inactive")
        if self.request is None:
            return super().get_invalid_login_error()
        # Warned before the lock rather than surprised by it. The count is the same for
        # an unknown address, so it tells nothing about accounts.
        remaining = throttling.remaining_attempts(
            self.request, {"username": self.cleaned_data.get("username")}
        )
        cooloff = fr.duration(get_cool_off(self.request))
        return ValidationError(
            "%(invalid)s %(remaining)s",
            code="invalid_login",
            params={
                "invalid": self.error_messages["invalid_login"],
                "remaining": _(
                    "Encore %(attempts)s avant un blocage de la connexion pendant %(cooloff)s."
                )
                % {"attempts": fr.plural(remaining, "essai"), "cooloff": cooloff},
            },
        )

    def _is_unconfirmed_account(self) -> bool:
        # Once django-axes has locked the address out, no password is checked at all.
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return False
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not email or not password:
            return False
        user = User.objects.filter(email__iexact=email.strip(), is_active=False).first()
        return user is not None and user.check_password(password)


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form; the e-mail goes through ``send_templated_email`` (text and
    HTML, sent after commit from a task) with a link built on ``VAE_SITE_URL`` rather
    than on the request's Host header."""

    email = email_field()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        prefix = email_template_name.removesuffix(".txt")
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        send_templated_email(
            prefix, {"user": context["user"], "reset_url": site_url(path)}, to=[to_email]
        )


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": SignupForm.error_messages["password_mismatch"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        _french_password_fields(self, "new_password1", "new_password2")


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_mismatch": SignupForm.error_messages["password_mismatch"],
        "password_incorrect": _("Le mot de passe actuel est incorrect."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mot de passe actuel")
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["old_password"].error_messages["required"] = _(
            "Indiquez votre mot de passe actuel."
        )
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        _french_password_fields(self, "new_password1", "new_password2")


class ProfileForm(forms.ModelForm):
    first_name, last_name = name_fields()

    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class EmailChangeForm(forms.Form):
    new_email = email_field(
        label=_("Nouvelle adresse e-mail"),
        help_text=_(
            "Un lien de confirmation y sera envoyé ; le changement prend effet une fois ce "
            "lien ouvert."
        ),
    )
    current_password = current_password_field(label=_("Mot de passe actuel"))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email:
            raise ValidationError(_("C'est déjà votre adresse e-mail actuelle."), code="same")
        return email

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        try:
            confirmed = confirm_password(self.user, password)
        except TooManyAttempts as locked:
            raise ValidationError(locked.message, code="too_many") from None
        if not confirmed:
            raise ValidationError(_("Le mot de passe actuel est incorrect."), code="incorrect")
        return password


class SecondFactorCodeForm(forms.Form):
    """A code of the authenticator application (or, at login, a recovery code)."""

    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=32,
        error_messages={"required": _("Saisissez le code affiché par votre application.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, recovery_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery_allowed:
            self.fields["code"].label = _("Code à 6 chiffres ou code de secours")
            self.fields["code"].help_text = _(
                "Le code change toutes les 30 secondes. Sans votre téléphone, saisissez "
                "l'un de vos codes de secours : chacun ne sert qu'une fois."
            )
        else:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
