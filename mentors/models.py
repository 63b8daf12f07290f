"""The expert support team (전문지원단): mentors, their group assignments and coaching visits."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
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


class _DaysBetween(Func):
    """``later - earlier`` in whole days (PostgreSQL: date minus date is an integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


class AssignmentQuerySet(models.QuerySet):
    def with_visit_facts(self, *, today: datetime.date | None = None):
        """The one home of "is a visit overdue". Annotates each assignment with its group's
        ``last_visit`` (date or None), ``days_without_visit`` and ``overdue``.

        The clock runs from the last visit, or from the day of the assignment when the group
        was never visited (a new assignment is not overdue on its first day). A visit is
        overdue once ``round.visit_overdue_days`` whole days have passed: exactly N days
        without a visit is overdue, N − 1 is not. Days are Seoul days. The mentor's home page,
        the staff coverage page and the weekly digest all read these annotations.
        """
        today = today or timezone.localdate()
        last_visit = F("last_visit_on")  # stored: see Assignment.last_visit_on
        assigned_on = TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
        return self.annotate(
            last_visit=last_visit,
            days_without_visit=_DaysBetween(
                Value(today, output_field=DateField()), Coalesce(F("last_visit"), assigned_on)
            ),
        ).annotate(
            overdue=Case(
                When(days_without_visit__gte=F("round__visit_overdue_days"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


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
    # The group's latest visit (by any mentor), kept by mentors.services.refresh_last_visits
    # whenever a visit is saved or deleted: the mentor's home page sorts thousands of groups by
    # it without a subquery per group.
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

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

    EDIT_WINDOW = datetime.timedelta(days=14)

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} · {self.group}"

    def editable_by(self, user, *, now=None) -> bool:
        """Its own mentor may edit a visit for 14 days after logging it; then it is the record."""
        now = now or timezone.now()
        return self.mentor.user_id == user.pk and now - self.created_at <= self.EDIT_WINDOW


class FollowUp(models.Model):
    """A follow-up action agreed at a visit: what, who, by when, and whether it is done."""

    visit = models.ForeignKey(
        CoachingVisit, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("visit")
    )
    description = models.CharField(_("what"), max_length=300)
    owner = models.CharField(_("who"), max_length=100, blank=True)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date"], condition=Q(done_at__isnull=True), name="followup_open_due_idx")]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date is not None and self.due_date < timezone.localdate()


def visit_photo_path(instance, filename):
    # A random name outside the web root; the original name is kept in the row.
    return f"visit_photos/{instance.visit_id}/{uuid.uuid4().hex}{instance.extension}"


class VisitPhoto(models.Model):
    """A photo taken at a visit (JPG or PNG, checked by content). Served only through a
    permission-checked view, never from a public URL."""

    ALLOWED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
    MAX_BYTES = 10 * 1024 * 1024

    visit = models.ForeignKey(CoachingVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    file = models.FileField(_("file"), upload_to=visit_photo_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png"]), name="visit_photo_jpeg_or_png"
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.ALLOWED_TYPES.get(self.content_type, "")


class AssignmentChange(models.Model):
    """The audit row of every (re)assignment: who moved which group from whom to whom, and why."""

    class Reason(models.TextChoices):
        MANUAL = "manual", _("Assigned by staff")
        AUTO = "auto", _("Auto-assign")

    group = models.ForeignKey(
        CommunityGroup, on_delete=models.CASCADE, related_name="assignment_changes", verbose_name=_("group")
    )
    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="assignment_changes", verbose_name=_("round")
    )
    from_mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from mentor")
    )
    to_mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="+", verbose_name=_("to mentor"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta:
        verbose_name = _("assignment change")
        verbose_name_plural = _("assignment changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["round", "-at"], name="assignchange_round_at_idx")]

    def __str__(self):
        return f"{self.group}: {self.from_mentor or '—'} → {self.to_mentor}"


class EducationSessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")


class EducationSession(models.Model):
    """A community-literacy education session (마을공동체 소양 교육) a mentor runs for invited groups."""

    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, related_name="education_sessions", verbose_name=_("mentor")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    description = models.TextField(_("description"), blank=True)
    groups = models.ManyToManyField(
        CommunityGroup,
        through="SessionInvitation",
        related_name="education_sessions",
        verbose_name=_("invited groups"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EducationSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("education session")
        verbose_name_plural = _("education sessions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["mentor", "starts_at"], name="session_mentor_start_idx")]
        constraints = [models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_positive")]

    def __str__(self):
        return self.title

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class SessionInvitation(models.Model):
    """A group invited to a session, and afterwards whether it came and with how many people."""

    session = models.ForeignKey(
        EducationSession, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("session")
    )
    group = models.ForeignKey(
        CommunityGroup, on_delete=models.CASCADE, related_name="session_invitations", verbose_name=_("group")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendees = models.PositiveSmallIntegerField(_("number of attendees"), default=0)

    class Meta:
        verbose_name = _("session invitation")
        verbose_name_plural = _("session invitations")
        ordering = ["session", "group__name"]
        constraints = [models.UniqueConstraint(fields=["session", "group"], name="session_invitation_unique")]

    def __str__(self):
        return f"{self.group} @ {self.session}"
