"""The selection committee's reads: the ranking per field (weighted score, review counts, the
cut-off where the field's envelope runs out) and the committee sheet built from it. Proposed
amounts are written by ``grants.services.applications_propose_amounts``."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from grants import workflow
from grants.models import Application, BudgetLine, Criterion, GrantRound, Review, Score
from portal.spreadsheets import Column, SheetWriter, workbook_bytes


@dataclass
class Row:
    application: Application
    rank: int
    amount: int  # proposed if set, else requested
    cumulative: int
    fits: bool
    too_few_reviews: bool


@dataclass
class FieldRanking:
    field: object
    envelope: object
    room: int | None  # what the field can still award: envelope (or round) left after awards
    rows: list[Row] = field(default_factory=list)
    decided: list[Application] = field(default_factory=list)

    @property
    def proposed_total(self) -> int:
        return sum(row.amount for row in self.rows)

    @property
    def cutoff_after(self) -> int | None:
        """The rank after which the money runs out (``None`` when everyone fits)."""
        fitting = [row.rank for row in self.rows if row.fits]
        if len(fitting) == len(self.rows):
            return None
        return max(fitting, default=0)

    @property
    def fill_percent(self) -> int | None:
        if not self.room:
            return None
        return min(100, round(self.proposed_total * 100 / self.room))


def ranked_applications(round_: GrantRound):
    """The round's applications in review and decided, best score first within each field."""
    return (
        Application.objects.filter(round=round_, status__in=[workflow.IN_REVIEW, workflow.APPROVED, workflow.REJECTED])
        .select_related("group", "group__dong", "field")
        # average_score and score_count are stored, kept by the review services.
        .order_by("field__order", "field__name", F("average_score").desc(nulls_last=True), "submitted_at", "pk")
    )


def ranking(round_: GrantRound) -> list[FieldRanking]:
    """Per field: applications in review ranked by weighted score, each with its review count
    (flagged under the round's minimum), a running total of the proposed (else requested)
    amounts and whether it still fits the field's money; decided applications apart."""
    envelopes = {e.field_id: e for e in round_.envelopes.select_related("field")}
    fields = OrderedDict()
    for application in ranked_applications(round_):
        key = application.field_id
        if key not in fields:
            envelope = envelopes.get(key)
            if envelope is not None and envelope.amount is not None:
                room = envelope.amount - envelope.awarded_total
            else:
                room = round_.remaining
            fields[key] = FieldRanking(field=application.field, envelope=envelope, room=room)
        entry = fields[key]
        if application.status != workflow.IN_REVIEW:
            entry.decided.append(application)
            continue
        amount = (
            application.proposed_amount if application.proposed_amount is not None else application.requested_amount
        )
        cumulative = (entry.rows[-1].cumulative if entry.rows else 0) + amount
        entry.rows.append(
            Row(
                application=application,
                rank=len(entry.rows) + 1,
                amount=amount,
                cumulative=cumulative,
                fits=entry.room is None or cumulative <= entry.room,
                too_few_reviews=application.score_count < round_.min_reviews,
            )
        )
    return list(fields.values())


# --- the committee sheet ---------------------------------------------------------------


def _budget_totals(applications) -> dict[int, tuple[int, int]]:
    """application id -> (subsidy total, self-contribution total) of its budget lines."""
    totals = (
        BudgetLine.objects.filter(application__in=applications)
        .values("application_id")
        .annotate(
            subsidy=Coalesce(Sum("amount", filter=Q(source=BudgetLine.Source.SUBSIDY)), 0),
            own=Coalesce(Sum("amount", filter=Q(source=BudgetLine.Source.SELF)), 0),
        )
    )
    return {t["application_id"]: (t["subsidy"], t["own"]) for t in totals}


def committee_sheet(round_: GrantRound) -> bytes:
    """The committee's workbook: the ranking (rank, scores, review counts, requested and
    proposed amounts, subsidy and self-contribution, project cost, within the envelope) and
    every reviewer's score per criterion. Korean headers, amounts as numbers."""
    from openpyxl import Workbook

    with translation.override("ko"):
        fields = ranking(round_)
        applications = [row.application for entry in fields for row in entry.rows] + [
            a for entry in fields for a in entry.decided
        ]
        budgets = _budget_totals([a.pk for a in applications])
        workbook = Workbook(write_only=True)
        sheet = SheetWriter(
            workbook,
            _("Ranking"),
            [
                Column(_("Field")),
                Column(_("Rank"), "number"),
                Column(_("Application ID"), "number"),
                Column(_("Group"), width=24),
                Column(_("Dong"), width=10),
                Column(_("Project title"), width=30),
                Column(_("Status"), width=10),
                Column(_("Average score"), "score"),
                Column(_("Reviews"), "number"),
                Column(_("Too few reviews")),
                Column(_("Requested (KRW)"), "amount"),
                Column(_("Proposed (KRW)"), "amount"),
                Column(_("Cumulative (KRW)"), "amount"),
                Column(_("Within the envelope")),
                Column(_("Subsidy (KRW)"), "amount"),
                Column(_("Self-contribution (KRW)"), "amount"),
                Column(_("Project cost (KRW)"), "amount"),
            ],
        )
        totals = [0, 0, 0, 0]  # requested, proposed, subsidy, own — of the applications in review
        for entry in fields:
            for row in entry.rows:
                a = row.application
                subsidy, own = budgets.get(a.pk, (0, 0))
                sheet.append(
                    [
                        str(entry.field or _("No field")),
                        row.rank,
                        a.pk,
                        a.group.name,
                        a.group.dong.name,
                        a.title,
                        a.get_status_display(),
                        float(a.average_score) if a.average_score is not None else None,
                        a.score_count,
                        _("yes") if row.too_few_reviews else "",
                        a.requested_amount,
                        a.proposed_amount,
                        row.cumulative,
                        _("yes") if row.fits else _("no"),
                        subsidy,
                        own,
                        subsidy + own,
                    ]
                )
                totals = [totals[0] + a.requested_amount, totals[1] + row.amount, totals[2] + subsidy, totals[3] + own]
            for a in entry.decided:
                subsidy, own = budgets.get(a.pk, (0, 0))
                sheet.append(
                    [
                        str(entry.field or _("No field")),
                        None,
                        a.pk,
                        a.group.name,
                        a.group.dong.name,
                        a.title,
                        a.get_status_display(),
                        float(a.average_score) if a.average_score is not None else None,
                        a.score_count,
                        "",
                        a.requested_amount,
                        a.proposed_amount,
                        None,
                        "",
                        subsidy,
                        own,
                        subsidy + own,
                    ]
                )
        sheet.close(
            totals=[
                _("Total in review"),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                totals[0],
                totals[1],
                None,
                None,
                totals[2],
                totals[3],
                totals[2] + totals[3],
            ]
        )
        _scores_sheet(workbook, round_, applications)
        return workbook_bytes(workbook)


def _scores_sheet(workbook, round_, applications) -> None:
    criteria = list(Criterion.objects.filter(round=round_))
    sheet = SheetWriter(
        workbook,
        _("Scores"),
        [
            Column(_("Application ID"), "number"),
            Column(_("Group"), width=24),
            Column(_("Reviewer"), width=12),
            Column(_("Conflict of interest")),
            *[Column(c.name, "number") for c in criteria],
            Column(_("Weighted score"), "score"),
        ],
    )
    order = {a.pk: index for index, a in enumerate(applications)}
    reviews = list(Review.objects.filter(application_id__in=order).select_related("reviewer", "application__group"))
    values = {}
    for score in Score.objects.filter(review__in=reviews):
        values[(score.review_id, score.criterion_id)] = score.value
    for review in sorted(reviews, key=lambda r: (order[r.application_id], r.reviewer.name)):
        sheet.append(
            [
                review.application_id,
                review.application.group.name,
                review.reviewer.name,
                _("yes") if review.conflict_of_interest else "",
                *[values.get((review.pk, c.pk)) for c in criteria],
                float(review.weighted_score) if review.weighted_score is not None else None,
            ]
        )
    sheet.close()
