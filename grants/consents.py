"""The personal-information consent wording (PIPA §15(2)): purpose, items, retention period,
and the right to refuse with its consequence, one consent per purpose."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from grants.models import Consent

WORDING_VERSION = "2026-1"


@dataclass(frozen=True)
class ConsentText:
    kind: str
    required: bool
    title: str
    purpose: str
    items: str
    retention: str
    refusal: str


CONSENT_TEXTS = [
    ConsentText(
        kind=Consent.Kind.COLLECTION,
        required=True,
        title=_("Collection and use of personal information"),
        purpose=_(
            "To receive and review your group's application, contact you about it, and pay and settle the grant."
        ),
        items=_("Representative: name, mobile phone number, email address. Participants: name and role in the group."),
        retention=_(
            "Five years after the end of the programme year, as the district keeps grant records; then deleted."
        ),
        refusal=_(
            "You may refuse. Without this consent the district cannot receive the application, so it cannot be "
            "submitted."
        ),
    ),
    ConsentText(
        kind=Consent.Kind.THIRD_PARTY,
        required=True,
        title=_("Provision to the selection committee"),
        purpose=_("The selection committee members (outside experts) read the application to review and score it."),
        items=_("Group name, representative's name, participant names and roles, the project plan and budget."),
        retention=_("Until the selection ends; committee members return or destroy the documents afterwards."),
        refusal=_(
            "You may refuse. Without this consent the application cannot be reviewed, so it cannot be submitted."
        ),
    ),
    ConsentText(
        kind=Consent.Kind.NOTICES,
        required=False,
        title=_("Programme news by email and text message"),
        purpose=_("To tell you about education sessions, forums and next year's call."),
        items=_("Email address and mobile phone number."),
        retention=_("Until you withdraw this consent, which you can do at any time."),
        refusal=_("You may refuse. Refusing changes nothing about your application."),
    ),
]
REQUIRED_KINDS = [text.kind for text in CONSENT_TEXTS if text.required]
