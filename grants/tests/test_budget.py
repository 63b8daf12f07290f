"""The budget step, posted the way a browser posts it: every line on the page, unchanged ones included.

These tests read the rendered page and send back every field it holds (management form, each saved
line, the blank extra row), then change only what a person would change. Posting only the changed
fields once hid a bug that left one line of a five-line budget after an edit.
"""

import pytest
from django.urls import reverse

from grants.models import BudgetLine
from tests.factories import ApplicationFactory, BudgetLineFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

FIVE_LINES = [
    ("materials", "꽃모종", 2_000_000, "subsidy"),
    ("publicity", "현수막", 500_000, "subsidy"),
    ("instructor", "강사비", 1_500_000, "subsidy"),
    ("activity", "간식", 300_000, "self"),
    ("materials", "장갑과 호미", 200_000, "self"),
]


@pytest.fixture
def five_line_draft(group, open_round):
    application = ApplicationFactory(
        group=group, round=open_round, field=open_round.fields.first(), requested_amount=4_000_000
    )
    for order, (category, item, amount, source) in enumerate(FIVE_LINES):
        BudgetLineFactory(
            application=application, category=category, item=item, amount=amount, source=source, order=order
        )
    return application


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident)
    return client


def budget_page(client, application) -> dict:
    response = client.get(reverse("grants:apply_budget", args=[application.pk]))
    assert response.status_code == 200
    return form_data(response.content, "budget-form", go="stay")


def post_budget(client, application, data):
    return client.post(reverse("grants:apply_budget", args=[application.pk]), data)


def saved_lines(application) -> list[tuple]:
    return list(application.budget_lines.order_by("order").values_list("category", "item", "amount", "source"))


def test_the_page_posts_every_saved_line_and_one_blank_row(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    assert data["lines-TOTAL_FORMS"] == "6" and data["lines-INITIAL_FORMS"] == "5"
    assert [data[f"lines-{index}-item"] for index in range(6)] == [line[1] for line in FIVE_LINES] + [""]


def test_resaving_an_untouched_budget_keeps_every_line(logged_in, five_line_draft):
    response = post_budget(logged_in, five_line_draft, budget_page(logged_in, five_line_draft))
    assert response.status_code == 302, response.context["error_summary"]
    assert saved_lines(five_line_draft) == FIVE_LINES
    five_line_draft.refresh_from_db()
    assert five_line_draft.requested_amount == 4_000_000


def test_editing_one_amount_keeps_the_other_four_lines(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    data["lines-2-amount"] = "1,200,000"
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 302
    expected = list(FIVE_LINES)
    expected[2] = ("instructor", "강사비", 1_200_000, "subsidy")
    assert saved_lines(five_line_draft) == expected
    five_line_draft.refresh_from_db()
    assert five_line_draft.requested_amount == 3_700_000


def test_removing_one_line_keeps_the_others_and_lowers_the_request(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    data["lines-1-DELETE"] = "on"
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 302
    assert saved_lines(five_line_draft) == [FIVE_LINES[0], *FIVE_LINES[2:]]
    five_line_draft.refresh_from_db()
    assert five_line_draft.requested_amount == 3_500_000


def test_filling_the_blank_row_adds_a_sixth_line(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    data.update({"lines-5-category": "meetings", "lines-5-item": "마을회관 대관", "lines-5-amount": "100000"})
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 302
    assert saved_lines(five_line_draft) == [*FIVE_LINES, ("meetings", "마을회관 대관", 100_000, "subsidy")]


def test_an_untouched_blank_row_is_not_a_required_line(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    assert data["lines-5-category"]  # the browser sends the category the select shows
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 302
    assert BudgetLine.objects.filter(application=five_line_draft).count() == 5


def test_an_empty_budget_saves_as_a_draft(logged_in, group, open_round):
    application = ApplicationFactory(group=group, round=open_round, field=open_round.fields.first())
    response = post_budget(logged_in, application, budget_page(logged_in, application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.budget_lines.count() == 0 and application.requested_amount == 0


def test_clearing_every_line_saves_an_empty_draft(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    for index in range(5):
        data[f"lines-{index}-DELETE"] = "on"
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 302
    assert saved_lines(five_line_draft) == []


def test_the_subsidy_limit_is_checked_against_the_whole_budget_not_the_edited_line(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    data["lines-0-amount"] = "6,500,000"  # 6.5M alone is under the 8M limit; with the rest it is 8.5M
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 400
    assert "over_max" in [error.code for error in response.context["formset"].non_form_errors().as_data()]
    assert saved_lines(five_line_draft) == FIVE_LINES


def test_the_self_contribution_share_is_checked_against_the_whole_budget(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    data["lines-4-amount"] = "100,000"  # the edited line alone is all self-contribution; the budget is 400/4400
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 400
    assert [error.code for error in response.context["formset"].non_form_errors().as_data()] == [
        "self_contribution_low"
    ]


def test_a_half_filled_line_is_shown_back_with_its_error_and_nothing_is_lost(logged_in, five_line_draft):
    data = budget_page(logged_in, five_line_draft)
    data["lines-5-item"] = "사진 인화"  # no amount yet
    response = post_budget(logged_in, five_line_draft, data)
    assert response.status_code == 400
    assert "lines-5-amount" in form_data(response.content, "budget-form")
    assert response.context["formset"].forms[5].errors["amount"]
    assert saved_lines(five_line_draft) == FIVE_LINES


def test_a_page_opened_before_another_tab_saved_still_keeps_what_it_posts(logged_in, group, open_round):
    """Two tabs: the first opened the empty budget, the second saved a line; the first then
    posts the very same line. It is kept (it used to vanish, or fail with a server error)."""
    application = ApplicationFactory(group=group, round=open_round, field=open_round.fields.first())
    stale_page = budget_page(logged_in, application)  # no lines yet: INITIAL_FORMS 0
    BudgetLineFactory(application=application, category="materials", item="꽃모종", amount=300_000, source="self")

    stale_page.update(
        {
            "lines-0-category": "materials",
            "lines-0-item": "꽃모종",
            "lines-0-amount": "300000",
            "lines-0-source": "self",
        }
    )
    response = post_budget(logged_in, application, stale_page)

    assert response.status_code == 302
    assert saved_lines(application) == [("materials", "꽃모종", 300_000, "self")]
