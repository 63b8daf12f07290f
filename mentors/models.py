"""The expert support team (전문지원단): mentors, their group assignments and coaching visits."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.models import GrantRound
from networks.models import CommunityGroup, Forum


class Mentor(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("user")
    )
    bio = models.TextField(_("biography"), blank=True)
    specialties = ArrayField(models.CharField(max_length=50), default=list, blank=True, verbose_name=_("specialties"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["user__name"]

    def __str__(self):
        return self.user.name or self.user.email


class Assignment(models.Model):
    """A mentor follows a group through one round. A group has one mentor per round."""

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("mentor"))
    group = models.ForeignKey(
        CommunityGroup, on_delete=models.CASCADE, related_name="mentor_assignments", verbose_name=_("group")
    )
    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="mentor_assignments", verbose_name=_("round")
    )
    pinned = models.BooleanField(
        _("pinned by staff"), default=False, help_text=_("Auto-assign never moves a pinned group.")
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "mentor", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "round"], name="assignment_one_mentor_per_group_round"),
        ]
        indexes = [models.Index(fields=["mentor", "round"], name="assignment_mentor_round_idx")]

    def __str__(self):
        return f"{self.mentor} → {self.group}"


class CoachingVisit(models.Model):
    class Kind(models.TextChoices):
        LITERACY = "literacy", _("Literacy education")
        COACHING = "coaching", _("Operational coaching")
        NETWORK = "network", _("Network support")
        SITE_CHECK = "site_check", _("Site check")

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="visits", verbose_name=_("mentor"))
    group = models.ForeignKey(
        CommunityGroup, on_delete=models.CASCADE, related_name="coaching_visits", verbose_name=_("group")
    )
    forum = models.ForeignKey(
        Forum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_visits",
        verbose_name=_("supported forum"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    attendees = models.PositiveSmallIntegerField(_("attendees"), default=0)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    notes = models.TextField(
        _("private notes"), blank=True, help_text=_("Seen by mentors and staff only, never by the group.")
    )
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("coaching visit")
        verbose_name_plural = _("coaching visits")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["group", "-date"], name="visit_group_date_idx"),
            models.Index(fields=["mentor", "-date"], name="visit_mentor_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="visit_duration_positive"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} · {self.group}"


class FollowUp(models.Model):
    """A follow-up action agreed at a visit: what, who, by when, and whether it is done."""

    visit = models.ForeignKey(
        CoachingVisit, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("visit")
    )
    description = models.CharField(_("what"), max_length=300)
    owner = models.CharField(_("who"), max_length=100, blank=True)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date"], condition=Q(done_at__isnull=True), name="followup_open_due_idx")]

    def __str__(self):
        return self.description
