"""Reads for the resident side: rounds on the home page, a user's group and applications,
and what still stands between a draft and its submission."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants import consents
from grants.models import Application, Attachment, FieldEnvelope, GrantRound, StatusChange
from networks.models import CommunityGroup


def rounds_with_fields():
    return GrantRound.objects.select_related("district").prefetch_related(
        Prefetch("envelopes", queryset=FieldEnvelope.objects.select_related("field").order_by("field__order"))
    )


def open_rounds():
    return rounds_with_fields().open_now().order_by("closes_at")


def seconds_until_round_changes(now=None) -> int:
    """Seconds until the next round opens or closes (a day when nothing is scheduled): how long
    the public home page may be kept as it is."""
    now = now or timezone.now()
    upcoming = [
        moment
        for pair in GrantRound.objects.filter(Q(opens_at__gt=now) | Q(closes_at__gt=now)).values_list(
            "opens_at", "closes_at"
        )
        for moment in pair
        if moment > now
    ]
    return int((min(upcoming) - now).total_seconds()) if upcoming else 86_400


def closed_rounds():
    return GrantRound.objects.filter(closes_at__lte=timezone.now()).order_by("-closes_at")


def approved_applications(round_) -> list[Application]:
    """The public results of a round: approved groups, titles, fields, amounts, and only
    those whose decision is released (``Application.decision_visible_to_resident``)."""
    approved = (
        round_.applications.filter(status=Application.Status.APPROVED)
        .select_related("group", "group__dong", "submitted_dong", "field", "round")
        .order_by("field__order", "submitted_group_name", "group__name")
    )
    return [application for application in approved if application.decision_visible_to_resident]


def group_for_user(user) -> CommunityGroup | None:
    """The group this user represents (the first one, if several), with its dong and district."""
    if not user.is_authenticated:
        return None
    return (
        CommunityGroup.objects.filter(representative=user)
        .select_related("dong", "dong__district")
        .order_by("id")
        .first()
    )


def applications_for_user(user):
    """The user's applications with everything the list shows: group, round, field, history."""
    return (
        Application.objects.for_representative(user)
        .with_list_relations()
        .prefetch_related(Prefetch("status_changes", queryset=StatusChange.objects.order_by("at", "id")))
        .order_by("-round__opens_at", "-id")
    )


def application_for_representative(user, pk) -> Application:
    """The application if ``user`` represents its group; 404 for everyone else."""
    try:
        return (
            Application.objects.for_representative(user)
            .select_related("group", "group__dong", "group__dong__district", "round", "field")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None


def eligibility_problems(group, round_) -> list[str]:
    """Why this group may not apply to this round, in plain words (empty when it may)."""
    problems = []
    if group.member_count < round_.min_group_size:
        problems.append(
            _("The group needs at least %(min)s members; it has %(count)s.")
            % {"min": round_.min_group_size, "count": group.member_count}
        )
    if group.dong.district_id != round_.district_id:
        problems.append(
            _("The group's dong (%(dong)s) is not in %(district)s.") % {"dong": group.dong, "district": round_.district}
        )
    return problems


@dataclass(frozen=True)
class Problem:
    step: str
    anchor: str
    message: str


PROJECT_REQUIRED = [
    ("field", _("Choose the project's field.")),
    ("title", _("Write the project title.")),
    ("purpose", _("Write the purpose of the project.")),
    ("plan", _("Write the activity plan.")),
    ("schedule", _("Write the schedule.")),
    ("expected_outcomes", _("Write the expected outcomes.")),
    ("resident_participation", _("Write how residents take part.")),
]


def submission_problems(application, *, budget_lines=None, attachments=None, consents_by_kind=None) -> list[Problem]:
    """What must still be done before ``application`` can be submitted.

    Pass the already-fetched budget lines, attachments and consents to avoid re-reading them.
    """
    problems = []
    for name, message in PROJECT_REQUIRED:
        value = application.field_id if name == "field" else getattr(application, name).strip()
        if not value:
            problems.append(Problem("project", f"id_{name}", message))
    lines = budget_lines if budget_lines is not None else list(application.budget_lines.all())
    if not any(line.source == "subsidy" for line in lines):
        problems.append(Problem("budget", "budget-lines", _("Add at least one budget line paid by the subsidy.")))
    for label in application.missing_document_labels(attachments):
        problems.append(Problem("documents", "id_kind", _("Attach the document: %(kind)s.") % {"kind": label}))
    given = consents_by_kind if consents_by_kind is not None else {c.kind: c for c in application.consents.all()}
    for kind in consents.REQUIRED_KINDS:
        consent = given.get(kind)
        if consent is None or not consent.granted:
            problems.append(
                Problem("consent", f"id_consent_{kind}", _("Give the required personal-information consents."))
            )
            break
    for message in eligibility_problems(application.group, application.round):
        problems.append(Problem("group", "id_member_count", message))
    return problems


@dataclass(frozen=True)
class Receipt:
    """The 접수증 of one submission: what the district received, when, under which number."""

    number: str
    submitted_at: object
    requested_amount: int
    documents: list[tuple[str, str]]  # (document type, file name)
    resubmission: bool


def submission_receipt(application: Application, change: StatusChange | None = None) -> Receipt | None:
    """The receipt of ``change`` (a move to "submitted"), or of the latest submission.

    The number is the round's year, the application's number and the submission's sequence
    (``2026-00042-01``; a resubmission after requested changes gets ``-02``), so it is stable
    and needs no stored counter. Two queries.
    """
    submissions = list(
        application.status_changes.filter(to_status=Application.Status.SUBMITTED).order_by("at", "id").only("id", "at")
    )
    if change is None:
        change = submissions[-1] if submissions else None
    if change is None:
        return None
    sequence = next((index for index, row in enumerate(submissions, start=1) if row.pk == change.pk), len(submissions))
    documents = [
        (str(Attachment.Kind(attachment.kind).label), attachment.original_name)
        for attachment in application.attachments.order_by("kind", "uploaded_at", "id")
    ]
    return Receipt(
        number=f"{application.round.year}-{application.pk:05d}-{sequence:02d}",
        submitted_at=change.at,
        requested_amount=application.requested_amount,
        documents=documents,
        resubmission=sequence > 1,
    )


def award_facts(application) -> dict:
    """What an approval means in money, for the resident's pages and the decision email:
    the award, the request, the difference and, for a reduced award, the self-contribution
    the round still asks of the smaller project."""
    awarded, requested = application.awarded_amount or 0, application.requested_amount
    return {
        "awarded": awarded,
        "requested": requested,
        "reduced": awarded < requested,
        "difference": max(requested - awarded, 0),
        "min_self_percent": application.round.min_self_contribution_percent,
    }
