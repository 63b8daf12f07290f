"""The email outbox: every email the portal sends is a row here first.

A row's ``status`` is the truth about it: ``ready`` (waiting for a worker), ``sending``
(claimed by one worker, ``claimed_at`` says when), ``sent`` or ``failed`` (``attempts`` and
``last_error`` say why). Celery messages only say "look at row 42"; losing one loses nothing
because the sweep (``notifications.sweep``) finds every row that is not where it should be.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailQuerySet(models.QuerySet):
    def stuck_sending(self, *, before):
        """Rows a worker claimed before ``before`` and never finished: the worker died."""
        return self.filter(status=Email.Status.SENDING, claimed_at__lt=before)

    def waiting(self, *, created_before):
        """Rows still ``ready`` that were created before ``created_before`` (their enqueue was lost)."""
        return self.filter(status=Email.Status.READY, created_at__lt=created_before)


class Email(models.Model):
    class Status(models.TextChoices):
        READY = "ready", _("Ready")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    related_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("related type")
    )
    related_id = models.PositiveBigIntegerField(_("related id"), null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READY)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="email_status_created_idx"),
            models.Index(fields=["related_type", "related_id"], name="email_related_idx"),
            # The sweep looks for claimed rows by age; sent rows (almost all of them) stay out of it.
            models.Index(fields=["status", "claimed_at"], condition=~Q(status="sent"), name="email_unsent_claimed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["ready", "sending", "sent", "failed"]), name="email_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(status="sent"), name="email_sent_at_only_when_sent"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"


class EmailPreference(models.Model):
    """A recipient's choice for one reminder kind. No row means the kind's default: enabled.

    Only non-essential kinds can be switched off; deadline and decision notices always go out.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=50)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_one_per_kind")]
        indexes = [models.Index(fields=["kind", "enabled"], name="email_preference_kind_idx")]

    def __str__(self):
        return f"{self.user} · {self.kind}: {'✓' if self.enabled else '✗'}"
