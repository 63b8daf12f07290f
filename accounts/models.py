from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_email(address: str | None) -> str:
    """The one spelling of an email address the portal stores and looks up: trimmed, lower case.

    Sign-up stores it so; login, the admin's login, password reset and the lock-out count all
    look addresses up through it, so "Kim@Example.com" and "kim@example.com" are one account."""
    return (address or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
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
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an email address.

    Roles: every user is a resident; ``is_staff`` marks district staff; a ``mentors.Mentor``
    profile (reverse relation ``mentor_profile``) marks a member of the support team.
    Only what the programme needs is collected: never a resident registration number.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("ko", "한국어"), ("en", "English")], default="ko"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [models.CheckConstraint(condition=models.Q(email=Lower("email")), name="user_email_lower_case")]
        # Staff search people by name (``name__icontains`` is ``UPPER(name) LIKE``): a trigram
        # index on that expression keeps the search flat however many users there are.
        indexes = [GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="user_name_trgm")]

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def is_mentor(self) -> bool:
        profile = getattr(self, "mentor_profile", None)
        return profile is not None and profile.active


class LoginAttemptQuerySet(models.QuerySet):
    def failure_counts(self, *, email: str, ip_address: str | None, since) -> tuple[int, int]:
        """(failures for this account, failures from this address) since ``since``, in one query."""
        counts = self.filter(succeeded=False, at__gte=since).aggregate(
            account=models.Count("pk", filter=models.Q(email=email)),
            address=models.Count("pk", filter=models.Q(ip_address=ip_address) if ip_address else models.Q(pk=None)),
        )
        return counts["account"], counts["address"]


class LoginAttempt(models.Model):
    """One attempt to log in, kept in the database so the lock-out survives restarts and
    holds across every web process (a cache would not)."""

    email = models.CharField(_("email address"), max_length=254)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = LoginAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["email", "at"], name="loginattempt_email_at_idx"),
            models.Index(fields=["ip_address", "at"], name="loginattempt_ip_at_idx"),
        ]

    def __str__(self):
        return f"{self.email} @ {self.at:%Y-%m-%d %H:%M} ({'ok' if self.succeeded else 'failed'})"


class AccessLog(models.Model):
    """Who read, downloaded or exported a person's data, and when (PIPA §29, the 2023
    safety-measures notice: kept at least two years, searchable by person and by staff member).

    One log for the whole portal: every app writes it through ``accounts.services.access_record``.
    ``subject`` is whatever was read (an application, an attachment, a visit photo, a group…),
    held generically so that this lowest app names no higher one; ``subject_label`` keeps what it
    was called at the time, so the row still says what was read after the subject is destroyed.
    ``person`` is the user whose personal data it was (the group's representative for a group's
    application), when there is one.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        DOWNLOAD = "download", _("Downloaded a document")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data"),
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kind of record")
    )
    subject_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("record"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="access_log_at_idx"),
            models.Index(fields=["subject_type", "subject_id", "-at"], name="access_log_subject_idx"),
            models.Index(fields=["person", "-at"], name="access_log_person_idx"),
            models.Index(fields=["user", "-at"], name="access_log_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_type__isnull=True, subject_id__isnull=True)
                | models.Q(subject_type__isnull=False, subject_id__isnull=False),
                name="access_log_subject_complete",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.subject_label}".rstrip()


class ThrottledRequest(models.Model):
    """One request of a kind that is limited per address and per IP (password reset links,
    sign-ups with an address already in use), kept in the database like ``LoginAttempt``.
    Every request is counted whether or not an account exists, so the limit reveals nothing."""

    class Kind(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("password reset")
        SIGNUP_TAKEN = "signup_taken", _("sign-up with an address in use")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.CharField(_("email address"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("throttled request")
        verbose_name_plural = _("throttled requests")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["kind", "email", "at"], name="throttled_kind_email_at_idx"),
            models.Index(fields=["kind", "ip_address", "at"], name="throttled_kind_ip_at_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.email or self.ip_address} @ {self.at:%Y-%m-%d %H:%M}"
