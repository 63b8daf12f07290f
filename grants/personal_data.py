"""What grants holds about a person (their groups' applications, consents, documents) for
"My data", and its part of erasing a person. See accounts.personal_data."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts import personal_data
from grants import workflow
from grants.models import Application, Attachment, Consent


def applications(user):
    queryset = (
        Application.objects.for_representative(user)
        .select_related("round", "field", "group")
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.order_by("kind")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
        )
        .order_by("-round__opens_at", "-id")
    )
    return [
        {
            _("round"): application.round.title,
            _("group"): application.group.name,
            _("project title"): application.title,
            _("status"): workflow.PHASES[application.status].resident_label,
            _("requested subsidy (KRW)"): application.requested_amount,
            _("awarded amount (KRW)"): application.awarded_amount,
            _("submitted at"): application.submitted_at,
            _("consents"): "\n".join(
                f"{consent.get_kind_display()}: {_('Yes') if consent.granted else _('No')} ({consent.text_version})"
                for consent in application.consents.all()
            ),
            _("Documents"): "\n".join(
                f"{attachment.get_kind_display()}: {attachment.original_name}"
                for attachment in application.attachments.all()
            ),
        }
        for application in queryset
    ]


def erase(user):
    """Drafts (never sent to the district) go with their documents. Submitted applications stay:
    the district keeps grant records five years by law; the retention job anonymises them then."""
    drafts = Application.objects.for_representative(user).filter(status=workflow.DRAFT)
    for attachment in Attachment.objects.filter(application__in=drafts):
        attachment.file.delete(save=False)
    drafts.delete()


def register():
    personal_data.register_section(personal_data.Section("grants.applications", _("Your applications"), applications))
    personal_data.register_eraser(erase)
