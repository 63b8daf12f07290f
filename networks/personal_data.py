"""What networks holds about a person (the groups they represent, with participants, and their
forum registrations) for "My data", and its part of erasing a person. See accounts.personal_data."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts import personal_data
from networks.models import CommunityGroup, ForumRegistration, GroupMember


def groups(user):
    queryset = (
        CommunityGroup.objects.filter(representative=user)
        .select_related("dong")
        .prefetch_related(Prefetch("members", queryset=GroupMember.objects.order_by("order", "id")))
        .order_by("pk")
    )
    return [
        {
            _("group name"): group.name,
            _("kind"): group.get_kind_display(),
            _("dong"): group.dong.name,
            _("contact phone"): group.contact_phone,
            _("contact email"): group.contact_email,
            _("number of members"): group.member_count,
            _("Participants"): "\n".join(str(member) for member in group.members.all()),
        }
        for group in queryset
    ]


def registrations(user):
    queryset = ForumRegistration.objects.filter(user=user).select_related("forum").order_by("-registered_at")
    return [
        {
            _("forum"): registration.forum.title,
            _("date and time"): registration.forum.starts_at,
            _("registered at"): registration.registered_at,
            _("cancelled at"): registration.cancelled_at,
        }
        for registration in queryset
    ]


def erase(user):
    """Participants' names and the group's contact go; the group itself stays (its funded
    applications are kept five years by law, and then anonymised by the retention job)."""
    GroupMember.objects.filter(group__representative=user).delete()
    CommunityGroup.objects.filter(representative=user).update(contact_phone="", contact_email="")
    ForumRegistration.objects.filter(user=user).delete()


def register():
    personal_data.register_section(personal_data.Section("networks.groups", _("Your groups and participants"), groups))
    personal_data.register_section(
        personal_data.Section("networks.registrations", _("Your forum registrations"), registrations)
    )
    personal_data.register_eraser(erase)
