"""The outbox: every email, 알림톡 (KakaoTalk business notification) and text message the
portal sends is a ``Message`` row here first. ``channel`` says how it travels; everything else
(claim, batching, sweep, retry with backoff, stuck-row recovery) is the same for every channel.

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


class MessageQuerySet(models.QuerySet):
    def stuck_sending(self, *, before):
        """Rows a worker claimed before ``before`` and never finished: the worker died."""
        return self.filter(status=Message.Status.SENDING, claimed_at__lt=before)

    def waiting(self, *, created_before):
        """Rows still ``ready`` that were created before ``created_before`` (their enqueue was lost)."""
        return self.filter(status=Message.Status.READY, created_at__lt=created_before)

    def emails(self):
        return self.filter(channel=Message.Channel.EMAIL)

    def texts(self):
        """알림톡 and SMS/LMS rows: the ones that go to a phone."""
        return self.filter(channel__in=Message.TEXT_CHANNELS)

    def awaiting_delivery_report(self, *, sent_before):
        """Text rows the provider accepted before ``sent_before`` whose delivery result is still open."""
        return self.texts().filter(
            status=Message.Status.SENT, delivery=Message.Delivery.PENDING, sent_at__lt=sent_before
        )


class EmailManager(models.Manager.from_queryset(MessageQuerySet)):
    """``Email.objects`` sees only email rows, so code and tests that read "the emails" keep working."""

    def get_queryset(self):
        return super().get_queryset().filter(channel=Message.Channel.EMAIL)


class Message(models.Model):
    class Status(models.TextChoices):
        READY = "ready", _("Ready")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        ALIMTALK = "alimtalk", _("KakaoTalk notification")
        SMS = "sms", _("Text message")

    class Delivery(models.TextChoices):
        """What the provider reported after accepting a text (emails have no report: blank)."""

        NONE = "", _("No report")
        PENDING = "pending", _("Waiting for the report")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")

    TEXT_CHANNELS = (Channel.ALIMTALK, Channel.SMS)

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # An email address for email rows, a normalised mobile number (010-1234-5678) for texts.
    recipient = models.CharField(_("recipient"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # 알림톡: the registered template's code and the values of its #{variables}; the rendered
    # text is ``body_text`` (also what an SMS fallback says).
    template_code = models.CharField(_("template code"), max_length=64, blank=True)
    variables = models.JSONField(_("template variables"), default=dict, blank=True)
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
    provider_message_id = models.CharField(_("provider message id"), max_length=64, blank=True)
    delivery = models.CharField(
        _("delivery result"), max_length=12, choices=Delivery.choices, default=Delivery.NONE, blank=True
    )
    delivery_code = models.CharField(_("provider status code"), max_length=16, blank=True)
    delivery_message = models.CharField(_("provider status message"), max_length=255, blank=True)
    delivered_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)
    fallback_of = models.OneToOneField(
        "self",
        # A retention job may delete an old 알림톡; its SMS stays, unlinked.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fallback",
        verbose_name=_("fallback for"),
        help_text=_("The 알림톡 this text message replaced because it could not be delivered."),
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["ready", "sending", "sent", "failed"]), name="email_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(status="sent"), name="email_sent_at_only_when_sent"
            ),
            models.CheckConstraint(condition=Q(channel__in=["email", "alimtalk", "sms"]), name="message_channel_valid"),
            # Only an SMS replaces an 알림톡 (the one-to-one key makes it one SMS, never two).
            models.CheckConstraint(
                condition=Q(fallback_of__isnull=True) | Q(channel="sms"), name="message_fallback_is_sms"
            ),
            models.CheckConstraint(
                condition=Q(template_code="") | Q(channel="alimtalk"), name="message_template_only_alimtalk"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="email_status_created_idx"),
            models.Index(fields=["related_type", "related_id"], name="email_related_idx"),
            # The sweep looks for claimed rows by age; sent rows (almost all of them) stay out of it.
            models.Index(fields=["status", "claimed_at"], condition=~Q(status="sent"), name="email_unsent_claimed_idx"),
            # The delivery-report poll reads only texts still waiting for their report.
            models.Index(fields=["sent_at"], condition=Q(delivery="pending"), name="message_report_pending_idx"),
            models.Index(
                fields=["provider_message_id"], condition=~Q(provider_message_id=""), name="message_provider_id_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.kind} → {self.recipient}"

    @property
    def is_text(self) -> bool:
        return self.channel in self.TEXT_CHANNELS


class Email(Message):
    """The email rows of the outbox (a proxy): ``Email.objects`` never returns a text message."""

    objects = EmailManager()

    class Meta:
        proxy = True
        verbose_name = _("email")
        verbose_name_plural = _("emails")


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


class ChannelPreference(models.Model):
    """How a person wants to be reached on top of email: KakaoTalk, text message, or email only.

    No row means the default (``notifications.policy.preferred_channel``): KakaoTalk when the
    person has a mobile number, else email. What each channel is used for is decided by
    ``notifications.policy.channels_for``, the one home of that rule.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference", verbose_name=_("user")
    )
    preferred = models.CharField(
        _("preferred channel"), max_length=10, choices=Message.Channel.choices, default=Message.Channel.ALIMTALK
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred__in=["email", "alimtalk", "sms"]), name="channel_preference_valid"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_preferred_display()}"
