"""The automatic eligibility checklist shown at screening, with staff overrides applied."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from grants import workflow
from grants.models import Application, Attachment, BudgetLine, EligibilityOverride, self_contribution_share

Check = EligibilityOverride.Check


@dataclass(frozen=True)
class CheckResult:
    code: str
    label: str
    automatic: bool
    detail: str
    override: EligibilityOverride | None = None

    @property
    def passed(self) -> bool:
        return self.override.passed if self.override is not None else self.automatic


def self_contribution_totals(lines) -> tuple[int, int]:
    """(own, total) won of a budget's lines."""
    total = sum(line.amount for line in lines)
    own = sum(line.amount for line in lines if line.source == BudgetLine.Source.SELF)
    return own, total


def eligibility_checks(application: Application) -> list[CheckResult]:
    """The six checks for ``application`` (a few small queries), each with staff's override."""
    round_ = application.round
    group = application.group
    judged = application.judged_group  # the group as submitted, not as edited since
    lines = list(application.budget_lines.all())
    overrides = {o.criterion: o for o in application.eligibility_overrides.select_related("by")}
    own, total = self_contribution_totals(lines)
    missing = application.missing_document_kinds()
    kinds = dict(Attachment.Kind.choices)
    others = (
        Application.objects.filter(round_id=round_.pk, group__representative_id=group.representative_id)
        .exclude(pk=application.pk)
        .exclude(status__in=[workflow.DRAFT, workflow.WITHDRAWN])
        .count()
    )
    cap = round_.max_per_group
    results = [
        (
            Check.GROUP_SIZE,
            judged.member_count >= round_.min_group_size,
            _("%(count)s members; at least %(min)s needed")
            % {"count": judged.member_count, "min": round_.min_group_size},
        ),
        (
            Check.DONG_IN_DISTRICT,
            judged.dong.district_id == round_.district_id,
            _("%(dong)s, %(district)s") % {"dong": judged.dong.name, "district": judged.dong.district},
        ),
        (
            Check.SELF_CONTRIBUTION,
            round_.self_contribution_is_enough(own=own, total=total),
            _("%(percent)s%% of the project cost; at least %(min)s%% needed")
            % {"percent": self_contribution_share(own=own, total=total), "min": round_.min_self_contribution_percent},
        ),
        (
            Check.SUBSIDY_CAP,
            cap is None or application.requested_amount <= cap,
            _("%(requested)s KRW requested; maximum %(cap)s KRW")
            % {"requested": f"{application.requested_amount:,}", "cap": f"{cap:,}" if cap else "—"},
        ),
        (
            Check.DOCUMENTS,
            not missing,
            _("Missing: %(kinds)s") % {"kinds": ", ".join(str(kinds.get(k, k)) for k in missing)}
            if missing
            else _("All required documents are attached"),
        ),
        (
            Check.ONE_PER_ROUND,
            others == 0,
            _("%(count)s other application(s) by the same representative this round") % {"count": others},
        ),
    ]
    return [
        CheckResult(code=code, label=code.label, automatic=ok, detail=detail, override=overrides.get(code))
        for code, ok, detail in results
    ]
