"""The representative writes the final report on a phone (375 px)."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import ProjectReport
from projects.tests.helpers import funded_project
from tests.browser import login
from tests.test_mentor_visit import assert_no_horizontal_scroll

SHOTS = Path("/work/wt/shots/issue-14")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_representative_writes_and_submits_the_final_report_on_a_phone(
    live_server, phone_page, screenshot, resident, staff
):
    def shot(step):
        path = screenshot(page, step)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            shutil.copy(path, SHOTS / path.name)

    project = funded_project(staff=staff, group=resident.represented_groups.get())
    page = phone_page
    login(page, live_server, resident.email)
    page.goto(live_server.url + reverse("projects:report", args=[project.pk, "final"]))
    page.locator("#id_done_against_plan").fill("골목 화단 5곳을 만들었습니다.")
    page.locator("button[value=submit]").click()
    expect(page.locator(".alert-danger").first).to_be_visible()  # the summary at the top
    expect(page.locator("#id_done_against_plan")).to_have_value("골목 화단 5곳을 만들었습니다.")
    assert_no_horizontal_scroll(page)
    shot("01-report-incomplete")

    page.locator("#id_activities_held").fill("화단 만들기 3회")
    page.locator("#id_residents_taking_part").fill("42")
    page.locator("#id_would_change").fill("봄에 시작하겠습니다.")
    page.locator("button[value=submit]").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "submitted")
    assert_no_horizontal_scroll(page)
    shot("02-report-submitted")
    assert ProjectReport.objects.get(project=project, kind="final").residents_taking_part == 42
