"""The demo's people: one account per role, the candidates, the evaluators' seats, and the
blocs some candidates validated before their demo candidacy.

Candidates sign up and confirm their address through the accounts services, as on the
site. What no service of the platform writes (a staff account, a password put back, a bloc
validated before the platform existed) is written here, each in one helper that says why;
none of them touches a candidacy's state, a permission check or frozen content.
"""

import datetime
from base64 import b32decode

from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from referentiel.models import Certification
from review.admin_forms import EvaluatorProfileForm
from review.models import EvaluatorProfile
from vae.accounts import services as accounts
from vae.enums import Role
from vae.models import AcquiredBloc, User
from vae.roles import assign_role

# Demo passwords are public on purpose: they are printed and documented in the README.
DEMO_CANDIDATE_PASSWORD = "candidat-demo"
DEMO_ACCOUNTS = [
    (Role.CANDIDATE, "candidat@demo.vae.local", "Camille", "Martin", DEMO_CANDIDATE_PASSWORD),
    (Role.EVALUATOR, "evaluateur@demo.vae.local", "Hélène", "Dubois", "evaluateur-demo"),
    (Role.JURY_MEMBER, "jury@demo.vae.local", "Karim", "Benali", "jury-demo"),
    (Role.CERTIFIER, "certificateur@demo.vae.local", "Sophie", "Lefèvre", "certificateur-demo"),
]
# The demo certifier's authenticator key, public on purpose like the passwords: printed by
# `manage.py demo`, typed into any TOTP application, or read as a code by
# `manage.py demo_code`. Only the demo's own accounts get one (DEMO_DOMAIN).
DEMO_DOMAIN = "@demo.vae.local"
DEMO_TOTP_KEY = "VAEDEMOCERTIFICATEURDEMOTOTPKEYS"
DEMO_TOTP_NAME = "Démonstration"
# The session in which the demo's returning candidates validated their earlier blocs.
EARLIER_SESSION = datetime.date(2024, 6, 28)


def demo_account(email, first_name, last_name, password, role) -> User:
    """The account of a demo person in ``role``, created once, with the printed password."""
    user = User.objects.filter(email=email).first()
    if user is None:
        if role == Role.CANDIDATE:
            user = _sign_up(email, first_name, last_name, password)
        else:
            user = _create_staff_account(email, first_name, last_name, password)
    _restore_password(user, password)
    assign_role(user, role)
    return user


def candidate_account(email, first_name, last_name) -> User:
    return demo_account(email, first_name, last_name, DEMO_CANDIDATE_PASSWORD, Role.CANDIDATE)


def role_account(role) -> User:
    """The demo account of ``role`` (the README's), e.g. the certifier who decides."""
    for account_role, email, first_name, last_name, password in DEMO_ACCOUNTS:
        if account_role == role:
            return demo_account(email, first_name, last_name, password, role)
    raise LookupError(role)


def _sign_up(email, first_name, last_name, password) -> User:
    """Sign up as on the site (notice accepted), then follow the confirmation link."""
    user = accounts.register_candidate(
        email=email, first_name=first_name, last_name=last_name, password=password
    )
    accounts.activate_account(user)
    return user


def _create_staff_account(email, first_name, last_name, password) -> User:
    # Staff accounts are created by an administrator in Wagtail's users admin: no service
    # of the platform creates them, so the demo uses the user manager as that admin does.
    return User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )


def demo_second_factor(user) -> TOTPDevice:
    """A confirmed authenticator device with the demo's public key, so that the demo
    certifier (whom the back office asks for a second factor) can log in without
    enrolling a phone. Written here: enrolment confirms a device with a code typed from
    a phone, which a demo cannot do, and no service sets a key chosen in advance."""
    if not user.email.endswith(DEMO_DOMAIN):
        raise ValueError(f"not a demo account: {user.email}")
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_TOTP_NAME,
        defaults={"key": b32decode(DEMO_TOTP_KEY).hex(), "confirmed": True},
    )
    return device


def _restore_password(user, password) -> None:
    # Keeps the printed password true even if someone changed it while trying the demo.
    # A person changes their own password through Django's views; there is no service.
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])


def record_earlier_validations(candidate, bloc_codes, acquired_on=EARLIER_SESSION) -> None:
    """Blocs ``candidate`` validated before the platform existed, so that their candidacy
    targets only the others.

    Written by hand: a validation recorded by hand has no candidacy (``AcquiredBloc``) and
    no service writes one yet; the jury's decision (next issue) will own acquired blocs,
    and this helper should then call it.
    """
    version = Certification.objects.current()
    for bloc in version.blocs.filter(code__in=bloc_codes):
        AcquiredBloc.objects.get_or_create(
            candidate=candidate,
            certification_code=version.code,
            bloc_code=bloc.code,
            defaults={"bloc_title": bloc.title, "acquired_on": acquired_on},
        )


def evaluator_seat(user, *, category, organisation) -> EvaluatorProfile:
    """``user``'s seat on panels, entered through the certifier's back-office form (only
    people holding the evaluator role may have one)."""
    form = EvaluatorProfileForm(
        data={"user": user.pk, "category": category, "organisation": organisation},
        instance=EvaluatorProfile.objects.filter(user=user).first(),
    )
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.save()
