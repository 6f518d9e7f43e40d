"""Account pages: sign-up and its confirmation, log in and out, password reset and
change, profile. Thin: the writes live in ``vae.accounts.services``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from referentiel import french as fr
from referentiel.ids import parse_id
from vae.accounts import services, staff_sessions, throttling, two_factor
from vae.accounts.forms import (
    ChangePasswordForm,
    EmailChangeForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
    ResendConfirmationForm,
    SecondFactorCodeForm,
    SignupForm,
)
from vae.accounts.permissions import may_use_second_factor
from vae.accounts.tokens import account_activation_token, decode_uid
from vae.emails import contact_address
from vae.models import User
from vae.navigation import landing

# The confirmation link logs the user in without authenticate(); with several backends
# configured, login() must be told which one vouches for the user.
MODEL_BACKEND = "vae.accounts.backends.ModelBackend"


def _posted(request):
    # Not `request.POST or None`: an empty POST must still be validated and show errors.
    return request.POST if request.method == "POST" else None


def _within_email_limit(request, form) -> bool:
    """Count a valid request that sends an e-mail; past the limit, a form error (the
    form keeps what was typed) instead of the e-mail."""
    if throttling.allow_email_request(request, form.cleaned_data["email"]):
        return True
    window = fr.duration(settings.VAE_EMAIL_REQUEST_WINDOW // 60)
    form.add_error(
        None,
        _(
            "Trop de demandes ont été envoyées pour cette adresse ou depuis votre connexion. "
            "Par sécurité, aucun message n'est envoyé : réessayez dans %(window)s."
        )
        % {"window": window},
    )
    return False


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(_posted(request))
    if request.method == "POST" and form.is_valid() and _within_email_limit(request, form):
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
    if request.method == "POST" and form.is_valid() and _within_email_limit(request, form):
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
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(_posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:profile")
    roles = sorted(str(role.label) for role in request.user.roles)
    context = {"form": form, "roles": roles, "second_factor": None}
    if may_use_second_factor(request.user):
        context["second_factor"] = {
            "enrolled": two_factor.has_second_factor(request.user),
            "recovery_codes": two_factor.remaining_recovery_codes(request.user),
        }
    return render(request, "accounts/profile.html", context)


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

    def form_valid(self, form):
        if not _within_email_limit(self.request, form):
            return self.form_invalid(form)
        return super().form_valid(form)


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

    def form_valid(self, form):
        # Django gives the session a new key: the back office's list of sessions follows.
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        staff_sessions.follow_new_key(old_key, self.request)
        return response


# Two-factor authentication (vae.accounts.two_factor; StaffAccountMiddleware sends here)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("accounts:home")


def _recovery_codes_page(request, codes):
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator application: QR code or key, then a code it shows."""
    user = request.user
    if not may_use_second_factor(user):
        raise PermissionDenied(
            _("La double authentification est réservée aux comptes du personnel.")
        )
    if two_factor.has_second_factor(user) and not user.is_verified():
        # Replacing an application needs the current one (or a recovery code) first.
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(user)
    form = SecondFactorCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session[staff_sessions.HAS_SECOND_FACTOR_KEY] = True
            return _recovery_codes_page(request, codes)
        form.add_error(
            "code",
            _(
                "Ce code ne correspond pas. Saisissez le code affiché en ce moment par "
                "l'application (vérifiez que l'heure de votre téléphone est exacte)."
            ),
        )
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "manual_key": two_factor.manual_key(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of a login: a code of the application or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_second_factor(request.user):
        return redirect("accounts:two_factor_setup")
    form = SecondFactorCodeForm(_posted(request), recovery_allowed=True)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "Ce code n'est pas valable. Saisissez le code affiché en ce moment par "
                "l'application, ou un code de secours pas encore utilisé. Après une erreur, "
                "patientez quelques secondes avant de réessayer."
            ),
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes for a verified session (the old ones stop working)."""
    if not (request.user.is_verified() and two_factor.has_second_factor(request.user)):
        raise PermissionDenied
    return _recovery_codes_page(request, two_factor.new_recovery_codes(request.user))
