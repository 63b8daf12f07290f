"""The staff desk at the top of the admin index: what needs doing, oldest first."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from grants import workflow
from grants.models import Application, GrantRound, Review, ReviewerAssignment, StatusChange

# The statuses where an application waits for the district, in the order work flows.
WAITING_STATUSES = [workflow.SUBMITTED, workflow.SCREENING, workflow.IN_REVIEW, workflow.CHANGES_REQUESTED]


@dataclass(frozen=True)
class Waiting:
    status: str
    label: str
    count: int
    oldest_days: int | None


def _days_since(moment, now) -> int | None:
    return None if moment is None else (now - moment).days


def desk(user, round_: GrantRound | None = None) -> dict | None:
    """The desk for ``user`` on ``round_`` (default: the latest round)."""
    round_ = round_ or GrantRound.objects.order_by("-year", "-opens_at").first()
    if round_ is None:
        return None
    now = timezone.now()
    last_change = Subquery(
        StatusChange.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(at=Max("at"))
        .values("at")
    )
    applications = Application.objects.filter(round=round_)
    per_status = {
        row["status"]: row
        for row in applications.filter(status__in=WAITING_STATUSES)
        .annotate(since=Coalesce(last_change, "submitted_at"))
        .values("status")
        .annotate(n=Count("id"), oldest=Min("since"))
    }
    waiting = sorted(
        (
            Waiting(
                status=status,
                label=workflow.PHASES[status].staff_label,
                count=per_status[status]["n"] if status in per_status else 0,
                oldest_days=_days_since(per_status[status]["oldest"], now) if status in per_status else None,
            )
            for status in WAITING_STATUSES
        ),
        key=lambda w: -(w.oldest_days if w.oldest_days is not None else -1),
    )
    in_review = applications.filter(status=workflow.IN_REVIEW)  # score_count is stored
    my_review = Review.objects.filter(application=OuterRef("application"), reviewer=user).exclude(
        weighted_score__isnull=True, conflict_of_interest=False
    )
    my_todo = (
        ReviewerAssignment.objects.filter(
            reviewer=user, application__round=round_, application__status=workflow.IN_REVIEW
        )
        .filter(~Exists(my_review))
        .count()
    )
    envelopes = round_.envelopes.select_related("field")
    return {
        "round": round_,
        "waiting": waiting,
        "screening_not_started": per_status.get(workflow.SUBMITTED, {}).get("n", 0),
        "reviews_missing": in_review.filter(score_count__lt=round_.min_reviews).count(),
        "ready_to_decide": in_review.filter(score_count__gte=round_.min_reviews).count(),
        "my_reviews_to_do": my_todo,
        "money_left": [(e.field.name, e.amount - e.awarded_total if e.amount is not None else None) for e in envelopes],
        "round_left": round_.remaining,
        "unassigned": applications.filter(status=workflow.IN_REVIEW)
        .filter(~Q(Exists(ReviewerAssignment.objects.filter(application=OuterRef("pk")))))
        .count(),
    }
