"""The application workflow as plain data: phases with a staff label and a resident label,
and the transitions allowed between them. ``grants.services.transition`` enforces it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Phase:
    staff_label: str
    resident_label: str
    resident_can_edit: bool = False
    decided: bool = False


DRAFT = "draft"
SUBMITTED = "submitted"
SCREENING = "screening"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

PHASES = {
    DRAFT: Phase(_("Draft"), _("Not yet submitted"), resident_can_edit=True),
    SUBMITTED: Phase(_("Submitted"), _("Received")),
    SCREENING: Phase(_("Screening"), _("Documents being checked")),
    IN_REVIEW: Phase(_("In review"), _("Under review")),
    CHANGES_REQUESTED: Phase(_("Changes requested"), _("Changes needed from you"), resident_can_edit=True),
    APPROVED: Phase(_("Approved"), _("Selected for funding"), decided=True),
    REJECTED: Phase(_("Rejected"), _("Not selected"), decided=True),
    WITHDRAWN: Phase(_("Withdrawn"), _("Withdrawn by you"), decided=True),
}

# Decisions that stay internal until the round's results are published
# (``Application.decision_visible_to_resident``).
RELEASED_DECISIONS = (APPROVED, REJECTED)

# to-status -> the statuses it may be reached from, and who may make the move.
RESIDENT, STAFF = "resident", "staff"
TRANSITIONS = {
    (DRAFT, SUBMITTED): RESIDENT,
    (CHANGES_REQUESTED, SUBMITTED): RESIDENT,
    (SUBMITTED, SCREENING): STAFF,
    (SUBMITTED, CHANGES_REQUESTED): STAFF,
    (SCREENING, IN_REVIEW): STAFF,
    (SCREENING, CHANGES_REQUESTED): STAFF,
    (SCREENING, REJECTED): STAFF,
    (IN_REVIEW, APPROVED): STAFF,
    (IN_REVIEW, REJECTED): STAFF,
    (IN_REVIEW, CHANGES_REQUESTED): STAFF,
    (DRAFT, WITHDRAWN): RESIDENT,
    (SUBMITTED, WITHDRAWN): RESIDENT,
    (SCREENING, WITHDRAWN): RESIDENT,
    (IN_REVIEW, WITHDRAWN): RESIDENT,
    (CHANGES_REQUESTED, WITHDRAWN): RESIDENT,
}


def allowed_targets(status: str, actor: str | None = None) -> list[str]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == status and (actor is None or who == actor)]


def is_allowed(from_status: str, to_status: str, actor: str | None = None) -> bool:
    who = TRANSITIONS.get((from_status, to_status))
    return who is not None and (actor is None or who == actor)
