"""Budget read-outs for staff: the round's totals, by field and by dong, as chart bars."""

from dataclasses import dataclass

from django.db.models import Count, Sum

from grants import workflow
from grants.models import Application, GrantRound

BAR_HEIGHT = 22
BAR_GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    limit: int | None
    y: int
    width_percent: float
    limit_percent: float | None


def bars(rows: list[tuple[str, int, int | None]]) -> list[Bar]:
    """Lay out horizontal bars (label, value, optional limit) on one scale for an SVG chart."""
    scale = max([max(value, limit or 0) for _label, value, limit in rows] or [0]) or 1
    return [
        Bar(
            label=label,
            value=value,
            limit=limit,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width_percent=round(value * 100 / scale, 2),
            limit_percent=round(limit * 100 / scale, 2) if limit else None,
        )
        for index, (label, value, limit) in enumerate(rows)
    ]


def round_summary(round_: GrantRound) -> dict:
    """Budget, awarded, remaining, per field and per dong, and funded groups (three queries)."""
    envelopes = list(round_.envelopes.select_related("field"))
    approved = Application.objects.filter(round_id=round_.pk, status=workflow.APPROVED)
    by_field_count = dict(approved.values_list("field_id").annotate(n=Count("id")).order_by())
    by_dong = list(
        approved.values("group__dong__name")
        .annotate(total=Sum("awarded_amount"), n=Count("id"))
        .order_by("-total", "group__dong__name")
    )
    funded = sum(by_field_count.values())
    fields = [
        {
            "name": e.field.name,
            "envelope": e.amount,
            "awarded": e.awarded_total,
            "remaining": (e.amount - e.awarded_total) if e.amount is not None else None,
            "funded": by_field_count.get(e.field_id, 0),
        }
        for e in envelopes
    ]
    dongs = [{"name": row["group__dong__name"], "awarded": row["total"], "funded": row["n"]} for row in by_dong]
    return {
        "round": round_,
        "budget": round_.budget,
        "awarded": round_.awarded_total,
        "remaining": round_.remaining,
        "awarded_percent": round(round_.awarded_total * 100 / round_.budget, 1) if round_.budget else 0,
        "funded": funded,
        "target_groups": round_.target_groups,
        "fields": fields,
        "dongs": dongs,
        "field_bars": bars([(f["name"], f["awarded"], f["envelope"]) for f in fields]),
        "dong_bars": bars([(d["name"], d["awarded"], None) for d in dongs]),
        "field_chart_height": max(len(fields), 1) * (BAR_HEIGHT + BAR_GAP),
        "dong_chart_height": max(len(dongs), 1) * (BAR_HEIGHT + BAR_GAP),
    }


def current_rounds(limit: int = 2) -> list[GrantRound]:
    """The most recent rounds, for the admin index panel."""
    return list(GrantRound.objects.order_by("-year", "-opens_at")[:limit])
