"""Everything the portal holds about one person (PIPA §35), gathered from every app, and the
erasure of a person when staff accept a deletion request (§36).

Each app registers in its ``AppConfig.ready()``:

    from accounts import personal_data
    personal_data.register_section(personal_data.Section("grants.applications", _("Applications"), collect))
    personal_data.register_eraser(erase)

``collect(user) -> list[dict]`` returns one dict per record, keyed by translated labels (the
readable page and the JSON download both show them); it must run a fixed number of queries.
``erase(user) -> None`` deletes or anonymises what the app holds about the person, except what a
law obliges the district to keep (the award record, five years), inside the caller's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    collect: Callable[[object], list[dict]]


SECTIONS: dict[str, Section] = {}
ERASERS: list[Callable[[object], None]] = []


def register_section(section: Section) -> None:
    SECTIONS[section.key] = section


def register_eraser(erase: Callable[[object], None]) -> None:
    if erase not in ERASERS:
        ERASERS.append(erase)


def value(item):
    """A value as the page and the JSON show it: dates as ISO text, None as empty."""
    if item is None:
        return ""
    if hasattr(item, "isoformat"):
        if hasattr(item, "tzinfo") and getattr(item, "tzinfo", None) is not None:
            item = timezone.localtime(item)
        return item.isoformat(timespec="minutes") if hasattr(item, "hour") else item.isoformat()
    if isinstance(item, bool):
        return str(_("Yes") if item else _("No"))
    return item if isinstance(item, int | float) else str(item)


def collect_all(user) -> list[dict]:
    """[{"key", "title", "rows": [{label: value}]}] for every registered section, in order."""
    sections = []
    for section in SECTIONS.values():
        rows = [{str(label): value(item) for label, item in row.items()} for row in section.collect(user)]
        sections.append({"key": section.key, "title": str(section.title), "rows": rows})
    return sections


# --- accounts' own sections ----------------------------------------------------------------


def _account(user):
    return [
        {
            _("Email address"): user.email,
            _("Name"): user.name,
            _("Mobile phone number"): user.phone,
            _("preferred language"): user.get_preferred_language_display(),
            _("Account created"): user.date_joined,
            _("Last login"): user.last_login,
            _("agrees to programme news by email and text"): user.notices_consent,
            _("processing suspended since"): user.processing_suspended_at,
        }
    ]


def _reads(user):
    from accounts.models import AccessLog

    rows = AccessLog.objects.filter(person=user).select_related("user").order_by("-at", "-id")[:500]
    return [
        {
            _("at"): row.at,
            _("read by"): row.user.name or row.user.email,
            _("action"): row.get_action_display(),
            _("record"): row.subject_label,
        }
        for row in rows
    ]


def _requests(user):
    return [
        {
            _("request"): request.get_kind_display(),
            _("received at"): request.created_at,
            _("status"): request.get_status_display(),
            _("answer"): request.answer,
        }
        for request in user.privacy_requests.order_by("-created_at")
    ]


def _erase_account(user):
    from accounts.models import User

    User.objects.filter(pk=user.pk).update(
        name=str(_("Deleted member")),
        email=f"deleted-{user.pk}@deleted.invalid",
        phone="",
        is_active=False,
        notices_consent=False,
        password=UNUSABLE_PASSWORD_PREFIX + "deleted",  # nobody can log in as this account again
    )


def register_accounts_sections() -> None:
    register_section(Section("accounts.account", _("Your account"), _account))
    register_section(Section("accounts.reads", _("Who read your data (latest 500)"), _reads))
    register_section(Section("accounts.requests", _("Your requests about your data"), _requests))
    register_eraser(_erase_account)
