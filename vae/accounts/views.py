"""Account pages: sign-up and its confirmation, log in and out, password reset and
change, profile. Thin: the writes live in ``vae.accounts.services``."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from referentiel.ids import parse_id
from vae.accounts import services
from vae.accounts.forms import (
    ChangePasswordForm,
    EmailChangeForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
    ResendConfirmationForm,
    SignupForm,
)
from vae.accounts.tokens import account_activation_token, decode_uid
from vae.emails import contact_address
from vae.models import User
from vae.navigation import holds_space, landing, spaces

# The confirmation link logs the user in without authenticate(); with several backends
# configured, login() must be told which one vouches for the user.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _posted(request):
    # Not `request.POST or None`: an empty POST must still be validated and show errors.
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.register_candidate(
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        # The same page whether or not the address was already registered.
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request):
    return render(request, "accounts/signup_done.html")


def _user_from_uidb64(uidb64):
    pk = parse_id(decode_uid(uidb64))
    if pk is None:
        return None
    return User.objects.filter(pk=pk).first()


def confirm(request, uidb64, token):
    user = _user_from_uidb64(uidb64)
    if user is None or user.is_active or not account_activation_token.check_token(user, token):
        return render(
            request,
            "accounts/confirm_invalid.html",
            {"form": ResendConfirmationForm()},
            status=400,
        )
    services.activate_account(user)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("Votre adresse e-mail est confirmée : votre compte est activé."))
    return redirect("accounts:home")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    form = ResendConfirmationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(email=form.cleaned_data["email"])
        return redirect("accounts:signup_done")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"

    def get(self, request, *args, **kwargs):
        # Someone already logged in who lands here was refused a page (e.g. the admin
        # for a candidate): send them to their own space, never back to `next`, which
        # would loop.
        if request.user.is_authenticated:
            return redirect("accounts:home")
        return super().get(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Vous êtes déconnecté."))
        return response


@login_required
def home(request):
    """Where « Mon espace » and a login without `next` lead: the space whose work waits
    first (``vae.navigation.landing``); the header reaches the others."""
    space = landing(request.user)
    if space is not None:
        return redirect(space.url)
    return render(request, "accounts/home.html", {"contact_email": contact_address()})


@login_required
@require_safe
def jury(request):
    """The jury members' page until their workspace comes (sessions, convocations,
    interview records): what will come, what they can do meanwhile, whom to ask."""
    if not holds_space(request.user, "jury"):
        raise PermissionDenied(_("Cette page est réservée aux membres du jury."))
    others = [space for space in spaces(request.user) if space.key != "jury"]
    return render(
        request, "accounts/jury.html", {"other_spaces": others, "contact_email": contact_address()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(_posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:profile")
    roles = sorted(str(role.label) for role in request.user.roles)
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        services.request_email_change(user=request.user, new_email=new_email)
        messages.success(
            request,
            _(
                "Un lien de confirmation a été envoyé à %(email)s. Votre adresse ne "
                "changera qu'une fois ce lien ouvert."
            )
            % {"email": new_email},
        )
        return redirect("accounts:profile")
    return render(request, "accounts/email_change.html", {"form": form})


def email_change_confirm(request, token):
    try:
        user = services.confirm_email_change(token=token)
    except services.EmailChangeError as error:
        return render(
            request, "accounts/email_change_invalid.html", {"reason": error.reason}, status=400
        )
    messages.success(
        request, _("Votre adresse e-mail est désormais %(email)s.") % {"email": user.email}
    )
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:profile")
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    subject_template_name = "emails/accounts/password_reset_subject.txt"
    email_template_name = "emails/accounts/password_reset.txt"
    html_email_template_name = "emails/accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page sends people here: a new password ends their lockout.
        services.clear_login_failures(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:password_change_done")
