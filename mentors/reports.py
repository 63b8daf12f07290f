"""Staff reports on the support team: the coverage overview and the Excel export of visits."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook

from mentors import selectors
from mentors.models import CoachingVisit, Mentor

MONTHS_SHOWN = 6
CHART_BAR_HEIGHT = 22
CHART_LABEL_WIDTH = 140
CHART_BAR_WIDTH = 360


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def coverage(*, today: datetime.date) -> dict:
    """Visits per mentor per month (last six months), groups not visited within the current
    round's limit, and overdue follow-ups, plus the bar geometry of a server-rendered SVG chart."""
    months = _months_back(today, MONTHS_SHOWN)
    counts = {
        (row["mentor_id"], row["month"]): row["visits"]
        for row in selectors.visits_per_mentor_per_month(since=months[0])
    }
    mentors = list(Mentor.objects.select_related("user").order_by("user__name"))
    rows = []
    for mentor in mentors:
        per_month = [counts.get((mentor.pk, month), 0) for month in months]
        rows.append({"mentor": mentor, "per_month": per_month, "total": sum(per_month)})
    most = max((row["total"] for row in rows), default=0) or 1
    bars = [
        {
            "label": str(row["mentor"]),
            "total": row["total"],
            "y": index * (CHART_BAR_HEIGHT + 8),
            "width": round(CHART_BAR_WIDTH * row["total"] / most),
        }
        for index, row in enumerate(rows)
    ]
    grant_round = selectors.current_round()
    return {
        "months": months,
        "rows": rows,
        "chart": {
            "bars": bars,
            "height": max(len(bars), 1) * (CHART_BAR_HEIGHT + 8),
            "label_width": CHART_LABEL_WIDTH,
            "bar_height": CHART_BAR_HEIGHT,
            "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 60,
        },
        "round": grant_round,
        "unvisited": list(selectors.groups_without_recent_visit(grant_round)[:200]) if grant_round else [],
        "overdue_follow_ups": list(selectors.overdue_follow_ups()[:200]),
    }


def write_visits_workbook(stream) -> None:
    """Write every visit, one row each, as an .xlsx workbook to ``stream`` (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Coaching visits"))
    sheet.append(
        [
            _("Date"),
            _("Mentor"),
            _("Group"),
            _("Dong"),
            _("Kind"),
            _("Duration (minutes)"),
            _("Attendees"),
            _("Topics"),
            _("Private notes"),
            _("Follow-ups"),
            _("Open follow-ups"),
        ]
    )
    kinds = dict(CoachingVisit.Kind.choices)
    visits = (
        CoachingVisit.objects.select_related("mentor__user", "group__dong")
        .annotate(
            follow_up_total=Count("follow_ups"),
            follow_up_open=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True)),
        )
        .order_by("date", "id")
    )
    for visit in visits.iterator(chunk_size=500):
        sheet.append(
            [
                visit.date,
                str(visit.mentor),
                visit.group.name,
                visit.group.dong.name,
                str(kinds.get(visit.kind, visit.kind)),
                visit.duration_minutes,
                visit.attendees,
                visit.topics,
                visit.notes,
                visit.follow_up_total,
                visit.follow_up_open,
            ]
        )
    workbook.save(stream)
