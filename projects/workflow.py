"""A project's statuses as plain data: a staff label, a resident label and the next step
the resident reads, and the moves allowed between them. ``projects.services.transition``
enforces it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PLANNING = "planning"
AGREEMENT = "agreement"
ACTIVE = "active"
SETTLEMENT_SUBMITTED = "settlement_submitted"
CORRECTIONS = "corrections"
RETURN_DUE = "return_due"
CLOSED = "closed"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Phase:
    staff_label: str
    resident_label: str
    next_step: str


PHASES = {
    PLANNING: Phase(
        _("Adjusting the plan"),
        _("Adjust your budget to the award"),
        _("The award is less than you asked for: adjust the budget lines to the award and send them to the district."),
    ),
    AGREEMENT: Phase(
        _("Agreement"),
        _("Agreement to sign"),
        _("Read the grant conditions, confirm your self-contribution and give the account for the subsidy."),
    ),
    ACTIVE: Phase(
        _("Under way"),
        _("Project under way"),
        _(
            "Request the subsidy, record every expense with its receipt, "
            "and submit the settlement when the project ends."
        ),
    ),
    SETTLEMENT_SUBMITTED: Phase(
        _("Settlement submitted"), _("Settlement being checked"), _("The district is checking your settlement.")
    ),
    CORRECTIONS: Phase(
        _("Settlement corrections requested"),
        _("Corrections needed from you"),
        _("The district asked about some expenses: answer or correct them and submit the settlement again."),
    ),
    RETURN_DUE: Phase(
        _("Settled, return due"),
        _("Return the unspent subsidy"),
        _("Your settlement is checked. Return the amount shown to the district's account."),
    ),
    CLOSED: Phase(_("Closed"), _("Settled and closed"), _("Nothing more to do. Thank you!")),
    CANCELLED: Phase(
        _("Award cancelled"),
        _("Award cancelled"),
        _("The award was cancelled. Contact the district about anything paid."),
    ),
}

RESIDENT, STAFF = "resident", "staff"
TRANSITIONS = {
    (PLANNING, AGREEMENT): STAFF,  # staff confirm the adjusted plan
    (AGREEMENT, ACTIVE): STAFF,  # staff countersign
    (ACTIVE, SETTLEMENT_SUBMITTED): RESIDENT,
    (CORRECTIONS, SETTLEMENT_SUBMITTED): RESIDENT,
    (SETTLEMENT_SUBMITTED, CORRECTIONS): STAFF,
    (SETTLEMENT_SUBMITTED, RETURN_DUE): STAFF,
    (SETTLEMENT_SUBMITTED, CLOSED): STAFF,  # nothing to return
    (RETURN_DUE, CLOSED): STAFF,
    (PLANNING, CANCELLED): STAFF,
    (AGREEMENT, CANCELLED): STAFF,
    (ACTIVE, CANCELLED): STAFF,
    (SETTLEMENT_SUBMITTED, CANCELLED): STAFF,
    (CORRECTIONS, CANCELLED): STAFF,
}
# The project's group may still record and correct expenses in these statuses.
LEDGER_OPEN = (ACTIVE, CORRECTIONS)


def is_allowed(from_status: str, to_status: str, actor: str | None = None) -> bool:
    who = TRANSITIONS.get((from_status, to_status))
    return who is not None and (actor is None or who == actor)
