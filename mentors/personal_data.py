"""What the support team recorded about the person's groups, for "My data": each visit's date,
kind, topics and follow-ups. The mentors' private notes are their working notes about the
group's coaching; a request for them goes to the district through "Ask the district"."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts import personal_data
from mentors.models import CoachingVisit, FollowUp


def visits(user):
    queryset = (
        CoachingVisit.objects.filter(group__representative=user)
        .select_related("group", "mentor__user")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_date", "id")))
        .order_by("-date", "-id")
    )
    return [
        {
            _("date"): visit.date,
            _("group"): visit.group.name,
            _("kind"): visit.get_kind_display(),
            _("mentor"): visit.mentor.user.name,
            _("topics"): visit.topics,
            _("follow-up actions"): "\n".join(str(f) for f in visit.follow_ups.all()),
        }
        for visit in queryset
    ]


def register():
    personal_data.register_section(personal_data.Section("mentors.visits", _("Support team visits"), visits))
