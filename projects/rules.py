"""The round's spending and plan rules, each in one named function.

Forms call them as people type (through the ledger page's live check) and the services call
them again before writing. A ``Breach`` either refuses the expense or flags it for staff,
always in the rule's own words.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from projects.models import BudgetCategory, Expense, ProjectRules


@dataclass(frozen=True)
class Breach:
    code: str
    message: str
    refuse: bool


def rules_for(round_) -> ProjectRules:
    """The round's rules row, created with the defaults the first time it is asked for."""
    rules, _created = ProjectRules.objects.get_or_create(round=round_)
    return rules


def expense_breaches(
    *, rules: ProjectRules, category: BudgetCategory, source: str, spent_on, amount: int, hours=None, headcount=None
) -> list[Breach]:
    """Every rule this expense breaks: outside the period or a category the subsidy may not
    pay refuse it; the instructor's hourly cap and the meal cap per person flag it."""
    breaches = []
    if rules.period_start and spent_on and spent_on < rules.period_start:
        breaches.append(
            Breach(
                "before_period",
                _("The expense is dated before the project period (from %(start)s).") % {"start": rules.period_start},
                refuse=True,
            )
        )
    if rules.period_end and spent_on and spent_on > rules.period_end:
        breaches.append(
            Breach(
                "after_period",
                _("The expense is dated after the project period (until %(end)s).") % {"end": rules.period_end},
                refuse=True,
            )
        )
    if source == Expense.Source.SUBSIDY and not category.subsidy_allowed:
        breaches.append(
            Breach(
                "category_not_subsidy",
                _("“%(category)s” cannot be paid from the subsidy; record it as self-contribution.")
                % {"category": category.name},
                refuse=True,
            )
        )
    if category.is_instructor_fee and rules.instructor_hourly_cap:
        if not hours:
            breaches.append(Breach("hours_missing", _("Give the number of hours for an instructor fee."), refuse=True))
        elif amount > rules.instructor_hourly_cap * hours:
            breaches.append(
                Breach(
                    "instructor_cap",
                    _("Instructor fees are capped at %(cap)s KRW an hour (%(max)s KRW for %(hours)s hours).")
                    % {
                        "cap": f"{rules.instructor_hourly_cap:,}",
                        "max": f"{rules.instructor_hourly_cap * hours:,}",
                        "hours": hours,
                    },
                    refuse=False,
                )
            )
    if category.is_meal and rules.meal_per_person_cap:
        if not headcount:
            breaches.append(Breach("headcount_missing", _("Give the number of people for a meal."), refuse=True))
        elif amount > rules.meal_per_person_cap * headcount:
            breaches.append(
                Breach(
                    "meal_cap",
                    _("Meals are capped at %(cap)s KRW a person (%(max)s KRW for %(people)s people).")
                    % {
                        "cap": f"{rules.meal_per_person_cap:,}",
                        "max": f"{rules.meal_per_person_cap * headcount:,}",
                        "people": headcount,
                    },
                    refuse=False,
                )
            )
    return breaches


def self_contribution_error(*, round_, subsidy: int, own: int) -> ValidationError | None:
    """The round's self-contribution rule on a plan: at least N % of the total cost, in integers."""
    total = subsidy + own
    minimum = round_.min_self_contribution_percent
    if total and own * 100 < minimum * total:
        return ValidationError(
            _(
                "The self-contribution must be at least %(min)s%% of the total project cost "
                "(at least %(needed)s won of %(total)s won); now it is %(own)s won."
            )
            % {"min": minimum, "needed": f"{-(-minimum * total // 100):,}", "total": f"{total:,}", "own": f"{own:,}"},
            code="self_contribution_low",
        )
    return None


def change_needs_approval(*, rules: ProjectRules, before: dict[int, int], after: dict[int, int]) -> bool:
    """Does moving subsidy from ``before`` to ``after`` (category id → amount) go beyond the
    round's threshold (a share of the category's amount in force) in any category?"""
    threshold = rules.plan_change_threshold_percent
    for category_id in set(before) | set(after):
        old, new = before.get(category_id, 0), after.get(category_id, 0)
        if abs(new - old) * 100 > threshold * old:
            return True
    return False
