from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from referentiel.prepared import PreparedQuery
from vae.enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("Un super-utilisateur doit avoir is_staff et is_superuser.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # E-mail addresses are stored lower-cased; logins are case-insensitive.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": email})


class User(AbstractUser):
    """A person using the platform, identified by e-mail address.

    Custom from day one because swapping the user model later is painful. Roles are
    Django groups (see ``vae.roles``) so that one person may hold several and Wagtail's
    group permissions apply to staff.
    """

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    # Proof of consent to the privacy notice (RGPD), given at sign-up.
    privacy_accepted_at = models.DateTimeField(
        _("notice de confidentialité acceptée le"), null=True, blank=True, editable=False
    )
    # Set by the retention policy (``manage.py purge_personal_data``): the row stays, for
    # the decisions and acquired blocs that point at it, without anything that names them.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} <{self.email}>" if full_name else self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def roles(self) -> set[Role]:
        names = set(_role_names(self.pk))
        return {role for role in Role if role.value in names}

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=Role(role).value).exists()


# Every page of a logged-in user asks for the roles (the staff middleware, the header's
# spaces): compiled once, not on every request.
_role_names = PreparedQuery(
    lambda user_id: Group.objects.filter(user__id=user_id).values_list("name", flat=True)
)


class UserSession(models.Model):
    """A session someone logged in with.

    Django's session table cannot be searched by user (the user's id sits inside the
    encoded data), yet the back office must list a person's sessions and end them: each
    login records its session key here, each logout removes it, and the rows whose
    session has expired are left out when read and deleted when a session is ended.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("connexion"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("session ouverte")
        verbose_name_plural = _("sessions ouvertes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} — {self.created_at:%Y-%m-%d %H:%M}"
