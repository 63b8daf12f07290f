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
    # The optional consent to programme news by email and text (see accounts.consents), and a
    # suspension of processing the person asked for (PIPA §37): both stop non-essential messages.
    notices_consent = models.BooleanField(_("agrees to programme news by email and text"), default=False)
    notices_consent_at = models.DateTimeField(_("news consent answered at"), null=True, blank=True)
    processing_suspended_at = models.DateTimeField(_("processing suspended since"), null=True, blank=True)

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


class PrivacyPolicyQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """The version in force on ``on`` (today by default): the latest that has taken effect."""
        on = on or timezone.localdate()
        return self.filter(effective_on__lte=on).order_by("-effective_on", "-id").first()


class PrivacyPolicy(models.Model):
    """The privacy policy (개인정보 처리방침, PIPA §30), one row per version, written by staff.

    It carries the items the law asks for; the retention periods are listed beside it from the
    retention rules themselves (``accounts.RetentionRule``), so the page can never promise a period
    the destruction job does not keep. A version that has taken effect is never edited: staff add
    the next one, and earlier versions stay readable."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    effective_on = models.DateField(_("in force from"))
    collected = models.TextField(_("what is collected"))
    purposes = models.TextField(_("why it is collected"))
    retention = models.TextField(
        _("how long it is kept"), help_text=_("The periods of each rule are listed under this text automatically.")
    )
    recipients = models.TextField(_("who receives it"))
    rights = models.TextField(_("your rights and how to use them"))
    safety_measures = models.TextField(_("how it is protected"), blank=True)
    officer_name = models.CharField(_("privacy officer"), max_length=100)
    officer_department = models.CharField(_("department"), max_length=100, blank=True)
    officer_phone = models.CharField(_("phone number"), max_length=30)
    officer_email = models.EmailField(_("email address"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PrivacyPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policy versions")
        ordering = ["-effective_on", "-id"]

    def __str__(self):
        return f"{self.version} ({self.effective_on:%Y-%m-%d})"

    @property
    def has_taken_effect(self) -> bool:
        return self.pk is not None and self.effective_on <= timezone.localdate()


class RetentionRule(models.Model):
    """How long one kind of personal data is kept (staff-editable data, not code). The kinds and
    how each is destroyed or anonymised are registered by the apps (``accounts.retention``);
    the scheduled job applies every rule and writes a ``DestructionRecord`` per run and rule."""

    class Method(models.TextChoices):
        DELETE = "delete", _("Deleted")
        ANONYMISE = "anonymise", _("Anonymised")

    kind = models.CharField(_("kind of data"), max_length=60, unique=True)
    period_days = models.PositiveIntegerField(_("kept for (days)"))
    basis = models.CharField(_("why this long"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind"]
        constraints = [models.CheckConstraint(condition=models.Q(period_days__gte=1), name="retention_period_positive")]

    def __str__(self):
        return str(self.label)

    @property
    def period_display(self) -> str:
        from django.utils.translation import ngettext

        if self.period_days % 365 == 0 or self.period_days % 365 == 1:  # 1826 days = 5 years and a leap day
            years = round(self.period_days / 365)
            return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
        return ngettext("%(count)s day", "%(count)s days", self.period_days) % {"count": self.period_days}

    @property
    def registered(self):
        from accounts import retention

        return retention.KINDS.get(self.kind)

    @property
    def label(self):
        return self.registered.label if self.registered else self.kind

    @property
    def method(self):
        return self.registered.method if self.registered else ""

    def clean(self):
        super().clean()
        kind = self.registered
        if kind is not None and self.period_days is not None and self.period_days < kind.minimum_days:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {
                    "period_days": _("This kind of data must be kept at least %(days)s days.")
                    % {"days": kind.minimum_days}
                }
            )


class DestructionRecord(models.Model):
    """What the retention job destroyed or anonymised: under which rule, how many, when, and the
    cut-off it applied. Kept for the auditor; nobody edits or deletes it."""

    rule = models.ForeignKey(
        RetentionRule, on_delete=models.PROTECT, related_name="destructions", verbose_name=_("retention rule")
    )
    kind_label = models.CharField(_("kind of data"), max_length=200)
    method = models.CharField(_("how"), max_length=10, choices=RetentionRule.Method.choices)
    count = models.PositiveIntegerField(_("how many"))
    period_days = models.PositiveIntegerField(_("kept for (days)"))
    cutoff = models.DateTimeField(_("data older than"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the scheduled job did it."),
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at"], name="destruction_at_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.kind_label}: {self.count} {self.get_method_display()}"


class PrivacyRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PrivacyRequest.Status.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class PrivacyRequest(models.Model):
    """A person's request under PIPA §35–37 (correction, deletion, suspension of processing).
    Staff answer it within the legal deadline (10 days, ``ANSWER_DAYS``); the answer is recorded."""

    ANSWER_DAYS = 10

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correct my data")
        DELETION = "deletion", _("Delete my data")
        SUSPENSION = "suspension", _("Stop processing my data")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused, with the reason")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_requests", verbose_name=_("person")
    )
    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("what the person asks"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="privacyrequest_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", answered_at__isnull=True)
                | (~models.Q(status="open") & models.Q(answered_at__isnull=False)),
                name="privacyrequest_answered_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.user}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


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
