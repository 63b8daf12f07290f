"""The committee's ranking per field: weighted score order, review counts against the round's
minimum, the cut-off where the envelope runs out at the proposed (else requested) amounts,
decided applications apart, and the committee sheet."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from grants import committee, services, workflow
from grants.tests.factories import CriterionFactory
from grants.tests.helpers import assign_reviewer, in_review_applications, reviewer_group
from tests.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    FieldEnvelopeFactory,
    FieldFactory,
    GrantRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _ko(msgid):
    with translation.override("ko"):
        return gettext(msgid)


@pytest.fixture
def field_round(staff):
    """A field with a 10,000,000 KRW envelope and four applications of 3,000,000 each,
    scored 90, 70, 50 and unscored; two reviewers on the first."""
    round_ = GrantRoundFactory(min_reviews=2)
    care = FieldFactory(name="돌봄·교육")
    FieldEnvelopeFactory(round=round_, field=care, amount=10_000_000)
    best, second, third, unscored = in_review_applications(round_=round_, field=care, count=4, requested=3_000_000)
    criterion = CriterionFactory(round=round_, max_score=10)
    first_reviewer = UserFactory(is_staff=True, name="심사가")
    second_reviewer = UserFactory(is_staff=True, name="심사나")
    for user in (first_reviewer, second_reviewer):
        user.groups.add(reviewer_group())
    for application, value in [(best, 9), (second, 7), (third, 5)]:
        assign_reviewer(first_reviewer, application, by=staff)
        services.review_score(application=application, reviewer=first_reviewer, values={criterion.pk: value})
    assign_reviewer(second_reviewer, best, by=staff)
    services.review_score(application=best, reviewer=second_reviewer, values={criterion.pk: 9})
    for application in (best, second, third, unscored):
        BudgetLineFactory(application=application, amount=3_000_000)
        BudgetLineFactory(application=application, amount=400_000, source="self")
    rejected = ApplicationFactory(round=round_, field=care, status=workflow.REJECTED, title="이미 미선정")
    return round_, care, [best, second, third, unscored], rejected


def test_applications_rank_by_score_with_review_counts_and_a_cutoff_at_the_envelope(field_round):
    round_, _care, (best, second, third, unscored), rejected = field_round

    (entry,) = committee.ranking(round_)

    assert [row.application.pk for row in entry.rows] == [best.pk, second.pk, third.pk, unscored.pk]
    assert [row.application.score_count for row in entry.rows] == [2, 1, 1, 0]
    assert [row.too_few_reviews for row in entry.rows] == [False, True, True, True]
    # 3 + 3 + 3 = 9 fits 10 million; the fourth would make 12.
    assert [row.fits for row in entry.rows] == [True, True, True, False]
    assert entry.cutoff_after == 3
    assert [a.pk for a in entry.decided] == [rejected.pk]


def test_proposed_amounts_move_the_cutoff_and_bad_ones_are_refused(staff, field_round):
    round_, _care, (best, second, third, unscored), _rejected = field_round

    results = services.applications_propose_amounts(
        amounts=[(best, 2_000_000), (second, 2_000_000), (third, 9_000_000)], by=staff
    )

    assert [error is None for _a, error in results] == [True, True, False]
    (entry,) = committee.ranking(round_)
    assert [row.amount for row in entry.rows] == [2_000_000, 2_000_000, 3_000_000, 3_000_000]
    assert entry.cutoff_after is None  # 10 million exactly: everyone fits
    assert entry.proposed_total == 10_000_000


def test_staff_set_proposed_amounts_on_the_ranking_page_and_approval_offers_them(client, staff, field_round):
    round_, care, (best, *_rest), _rejected = field_round
    client.force_login(staff)
    url = reverse("admin:grants_application_ranking")
    page = client.get(url, {"round": round_.pk}).content.decode()
    assert 'data-testid="too-few"' in page and 'class="over cutoff"' in page.replace("  ", " ")

    data = {"round": round_.pk, "field": care.pk}
    for row in committee.ranking(round_)[0].rows:
        data[f"proposed_{row.application.pk}"] = "2,500,000" if row.application == best else ""
    response = client.post(url, data)

    assert response.status_code == 302
    best.refresh_from_db()
    assert best.proposed_amount == 2_500_000
    change = client.get(reverse("admin:grants_application_change", args=[best.pk])).content.decode()
    assert 'value="2500000"' in change


def test_staff_assign_a_reviewer_to_a_whole_field_from_the_ranking(client, staff, field_round):
    round_, care, applications, _rejected = field_round
    newcomer = UserFactory(is_staff=True, name="새심사")
    newcomer.groups.add(reviewer_group())
    client.force_login(staff)

    client.post(
        reverse("admin:grants_application_ranking"),
        {"round": round_.pk, "field": care.pk, "reviewer": newcomer.pk, "assign_field": "1"},
    )

    assert set(newcomer.grant_review_assignments.values_list("application_id", flat=True)) == {
        a.pk for a in applications
    }


def test_the_committee_sheet_has_scores_amounts_as_numbers_frozen_header_and_honest_totals(client, staff, field_round):
    round_, _care, (best, second, third, unscored), rejected = field_round
    services.applications_propose_amounts(amounts=[(best, 2_000_000)], by=staff)
    client.force_login(staff)

    response = client.get(reverse("admin:grants_application_committee_export"), {"round": round_.pk})

    workbook = load_workbook(io.BytesIO(response.content))
    ranking, scores = workbook.worksheets
    header = [cell.value for cell in ranking[1]]
    assert header[:3] == ["분야", "순위", "신청 번호"]
    assert ranking.freeze_panes == "A2" and ranking.auto_filter.ref.startswith("A1:")
    rows = list(ranking.iter_rows(min_row=2, values_only=True))
    ids = [row[2] for row in rows[:-1]]
    assert ids == [best.pk, second.pk, third.pk, unscored.pk, rejected.pk]  # rank order, decided last
    requested, proposed = header.index(_ko("Requested (KRW)")), header.index(_ko("Proposed (KRW)"))
    assert ranking.cell(row=2, column=requested + 1).number_format == "#,##0"
    assert isinstance(rows[0][requested], int)
    total = rows[-1]
    assert total[requested] == 12_000_000, "the total counts the applications in review only"
    assert total[proposed] == 11_000_000  # 2 + 3 + 3 + 3 million: proposed, else requested
    project_cost = header.index(_ko("Project cost (KRW)"))
    assert rows[0][project_cost] == 3_400_000
    score_rows = list(scores.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in score_rows[:2]] == [(best.pk, "심사가"), (best.pk, "심사나")]
