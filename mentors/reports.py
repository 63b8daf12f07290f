"""Staff reports on the support team: the coverage overview and the Excel export of visits."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook

from mentors import selectors
from mentors.models import CoachingVisit, Mentor
from portal.spreadsheets import xlsx_row

MONTHS_SHOWN = 6
# A grouped bar chart: one group of bars per month, one bar per mentor, drawn as plain SVG.
CHART_PLOT_HEIGHT = 160
CHART_BAR_WIDTH = 14
CHART_GROUP_GAP = 18
CHART_LEFT = 36
CHART_TOP = 12
CHART_PALETTE = ["#1f6f50", "#d9480f", "#1864ab", "#862e9c", "#e67700", "#0b7285", "#5c940d", "#a61e4d"]


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _grouped_bar_chart(months: list[datetime.date], rows: list[dict]) -> dict:
    """Geometry of the visits chart; the template only draws what is computed here."""
    most = max((n for row in rows for n in row["per_month"]), default=0) or 1
    per_group = max(len(rows) * CHART_BAR_WIDTH + CHART_GROUP_GAP, 72)  # room for a "2026-11" label
    bars, labels = [], []
    for m, month in enumerate(months):
        left = CHART_LEFT + m * per_group
        labels.append({"x": left + (per_group - CHART_GROUP_GAP) / 2, "text": month.strftime("%Y-%m")})
        for k, row in enumerate(rows):
            value = row["per_month"][m]
            height = round(CHART_PLOT_HEIGHT * value / most)
            bars.append(
                {
                    "x": left + k * CHART_BAR_WIDTH,
                    "y": CHART_TOP + CHART_PLOT_HEIGHT - height,
                    "height": height,
                    "colour": CHART_PALETTE[k % len(CHART_PALETTE)],
                    "title": f"{row['mentor']} · {month:%Y-%m} · {value}",
                }
            )
    baseline = CHART_TOP + CHART_PLOT_HEIGHT
    return {
        "bars": bars,
        "labels": labels,
        "legend": [
            {"label": str(row["mentor"]), "colour": CHART_PALETTE[k % len(CHART_PALETTE)]} for k, row in enumerate(rows)
        ],
        "bar_width": CHART_BAR_WIDTH - 2,
        "baseline": baseline,
        "top": CHART_TOP,
        "most": most,
        "left": CHART_LEFT,
        "width": CHART_LEFT + len(months) * per_group,
        "height": baseline + 24,
    }


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
    chart = _grouped_bar_chart(months, rows)
    grant_round = selectors.current_round()
    return {
        "months": months,
        "rows": rows,
        "chart": chart,
        "round": grant_round,
        "unvisited": list(selectors.groups_without_recent_visit(grant_round)[:200]) if grant_round else [],
        "overdue_follow_ups": list(selectors.overdue_follow_ups()[:200]),
    }


def write_visits_workbook(stream) -> None:
    """Write every visit, one row each, as an .xlsx workbook to ``stream`` (constant memory),
    every cell through ``portal.spreadsheets`` so typed notes never become formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Coaching visits"))
    headers = [
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
    sheet.append(xlsx_row(sheet, headers))
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
        row = [
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
        sheet.append(xlsx_row(sheet, row))
    workbook.save(stream)
