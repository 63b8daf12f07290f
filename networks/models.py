"""The community itself: district, dongs, regions, groups, the networks between them and
their public forums. This app imports no other domain app."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    name = models.CharField(_("name"), max_length=50)
    city = models.CharField(_("city"), max_length=50)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return f"{self.city} {self.name}"


class Region(models.Model):
    """A 권역: a staff-editable set of dongs around a hub dong."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="regions", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=50)
    hub_dong = models.ForeignKey(
        "Dong", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("hub dong")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="region_unique_name_in_district")]

    def __str__(self):
        return self.name


class Dong(models.Model):
    """An administrative dong (행정동). Its region is staff-editable data."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="dongs", verbose_name=_("district"))
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="dongs", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=30)
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dong")
        verbose_name_plural = _("dongs")
        ordering = ["district", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="dong_unique_name_in_district"),
            models.UniqueConstraint(fields=["district", "code"], name="dong_unique_code_in_district"),
        ]

    def __str__(self):
        return self.name


class CommunityGroup(models.Model):
    """A village (마을공동체) or apartment (아파트공동체) community group."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village community")
        APARTMENT = "apartment", _("Apartment community")

    name = models.CharField(_("group name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    dong = models.ForeignKey(Dong, on_delete=models.PROTECT, related_name="groups", verbose_name=_("dong"))
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="represented_groups",
        verbose_name=_("representative"),
    )
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    description = models.TextField(_("public description"), blank=True)
    description_public_since = models.DateTimeField(
        _("description public since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the group is first funded; the public group page shows the description from then on."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["dong", "name"], name="group_unique_name_in_dong")]
        indexes = [
            models.Index(fields=["representative"], name="group_representative_idx"),
            # The staff search by group name (``UPPER(name) LIKE``), see accounts.User.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="group_name_trgm"),
        ]

    def __str__(self):
        return self.name

    @property
    def description_is_public(self) -> bool:
        """The group form promises the description is public only once the group is funded."""
        return self.description_public_since is not None


class GroupMember(models.Model):
    """A participant on the group's list, with a role. Name and role only: nothing more is needed."""

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "order", "id"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class GroupChange(models.Model):
    """One edit of a group: who, when, and each changed item with its old and new value.

    Written by ``networks.services.record_group_change`` for every edit, by the representative
    on the portal or by staff in the admin; nothing edits or deletes a row afterwards."""

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="changes", verbose_name=_("group"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict, help_text=_("Each changed item: [before, after]."))

    class Meta:
        verbose_name = _("group change")
        verbose_name_plural = _("group changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["group", "-at"], name="groupchange_group_at_idx")]

    def __str__(self):
        return f"{self.group} @ {self.at:%Y-%m-%d %H:%M}: {', '.join(self.changes)}"


class NetworkQuerySet(models.QuerySet):
    def managed_by(self, user):
        """Networks whose forums ``user`` may schedule and edit: staff and mentors manage
        every network, a coordinator only the networks they coordinate."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_mentor:
            return self.all()
        return self.filter(coordinators=user)


class Network(models.Model):
    """A dong network (one per dong) or a regional network (one or more per region)."""

    class Kind(models.TextChoices):
        DONG = "dong", _("Dong network")
        REGIONAL = "regional", _("Regional network")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="networks", verbose_name=_("district")
    )
    dong = models.ForeignKey(
        Dong, on_delete=models.PROTECT, null=True, blank=True, related_name="networks", verbose_name=_("dong")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="networks", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    groups = models.ManyToManyField(
        CommunityGroup,
        through="NetworkMembership",
        related_name="networks",
        blank=True,
        verbose_name=_("member groups"),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_networks", blank=True, verbose_name=_("coordinators")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="dong", dong__isnull=False, region__isnull=True)
                    | Q(kind="regional", region__isnull=False, dong__isnull=True)
                ),
                name="network_kind_matches_place",
            ),
            models.UniqueConstraint(fields=["dong"], condition=Q(kind="dong"), name="network_one_per_dong"),
        ]

    def __str__(self):
        return self.name

    def is_managed_by(self, user) -> bool:
        """Whether ``user`` may schedule and edit this network's forums and members.
        Costs one query for a coordinator check (none for staff, one for the mentor profile)."""
        if not user.is_authenticated:
            return False
        if user.is_staff or user.is_mentor:
            return True
        return self.coordinators.filter(pk=user.pk).exists()


class NetworkMembership(models.Model):
    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic (by dong)")
        MANUAL = "manual", _("Added by staff or coordinator")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    group = models.ForeignKey(
        CommunityGroup, on_delete=models.CASCADE, related_name="network_memberships", verbose_name=_("group")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.AUTOMATIC)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [models.UniqueConstraint(fields=["network", "group"], name="membership_unique")]

    def __str__(self):
        return f"{self.group} → {self.network}"


class ForumQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Forums that have not started yet, soonest first."""
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        """Forums that have started, latest first."""
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")

    def with_counts(self):
        """Annotate ``registered_count`` (active registrations), ``attended_count`` and
        ``support_visit_count`` (mentors' visits linked to the forum, by reverse relation)."""
        return self.annotate(
            registered_count=Count("registrations", filter=Q(registrations__cancelled_at__isnull=True), distinct=True),
            attended_count=Count(
                "registrations",
                filter=Q(registrations__cancelled_at__isnull=True, registrations__attended=True),
                distinct=True,
            ),
            support_visit_count=Count("support_visits", distinct=True),
        )


class Forum(models.Model):
    """A public forum (공론장) or meeting of a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="forums", verbose_name=_("network"))
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    open_to_all = models.BooleanField(_("open to all residents"), default=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_forums",
        verbose_name=_("organiser"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    walk_in_count = models.PositiveIntegerField(
        _("walk-in attendees"), default=0, help_text=_("People who came without registering on the portal.")
    )
    attendance_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["network", "starts_at"], name="forum_network_start_idx"),
            models.Index(fields=["starts_at"], name="forum_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")), name="forum_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="forum_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def total_attendance(self) -> int | None:
        """Registered residents marked present plus walk-ins; ``None`` until attendance is
        recorded. Needs ``with_counts()``."""
        if self.attendance_recorded_at is None:
            return None
        return self.attended_count + self.walk_in_count


class ForumRegistration(models.Model):
    """A resident's place at a forum. Cancelled rows are kept (``cancelled_at``) for the record."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("forum"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_registrations",
        verbose_name=_("resident"),
    )
    group = models.ForeignKey(
        CommunityGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_registrations",
        verbose_name=_("group"),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum registration")
        verbose_name_plural = _("forum registrations")
        ordering = ["forum", "registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"],
                condition=Q(cancelled_at__isnull=True),
                name="registration_one_active_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.forum}"


class DecisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class Decision(models.Model):
    """A decision a forum took, with an owner and a due date, followed up until done."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("forum"))
    text = models.TextField(_("decision"))
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["forum", "due_date", "id"]
        indexes = [models.Index(fields=["forum"], condition=Q(done_at__isnull=True), name="decision_open_idx")]

    def __str__(self):
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date is not None and self.due_date < timezone.localdate()
