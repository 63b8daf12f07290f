"""Withdrawal (철회) is one state with one wording: nothing offers to continue a withdrawn
application, every way into it says it was withdrawn, and nothing calls it "in review"."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from grants import services, workflow
from grants.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident)
    return client


@pytest.fixture
def withdrawn(logged_in, submitted):
    logged_in.post(reverse("grants:withdraw", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == workflow.WITHDRAWN
    return submitted


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_group_page_offers_no_way_to_continue_a_withdrawn_application(logged_in, withdrawn):
    response = logged_in.get(reverse("grants:group"))
    body = response.content.decode()
    assert 'data-testid="cta-start"' not in body
    assert "이어 쓰기" not in body and "이어서 쓰기" not in body
    assert reverse("grants:application_detail", args=[withdrawn.pk]) in body


def test_every_way_into_a_withdrawn_application_says_it_was_withdrawn(logged_in, withdrawn):
    said = withdrawn.resident_edit_refusal().message
    with_district = Application(status=workflow.IN_REVIEW, round=withdrawn.round).resident_edit_refusal().message
    assert said != with_district

    start = logged_in.post(reverse("grants:start_application", args=[withdrawn.round_id]))
    assert start["Location"] == reverse("grants:application_detail", args=[withdrawn.pk])
    assert _messages(start)[-1] == said
    for step in ["project", "budget", "documents", "consent", "review"]:
        response = logged_in.get(reverse(f"grants:apply_{step}", args=[withdrawn.pk]))
        assert response["Location"] == reverse("grants:application_detail", args=[withdrawn.pk])
        assert _messages(response)[-1] == said
    submit = logged_in.post(reverse("grants:apply_review", args=[withdrawn.pk]))
    assert _messages(submit)[-1] == said
    withdrawn.refresh_from_db()
    assert withdrawn.status == workflow.WITHDRAWN


def test_the_submit_service_refuses_a_withdrawn_application_as_withdrawn(withdrawn, resident):
    with pytest.raises(services.NotEditable) as raised:
        services.submit_application(application=withdrawn, by=resident)
    assert raised.value.code == "withdrawn"


def test_a_withdrawn_application_shows_no_edit_links_and_says_so(logged_in, withdrawn):
    detail = logged_in.get(reverse("grants:application_detail", args=[withdrawn.pk]))
    body = detail.content.decode()
    assert detail.context["editable"] is False and detail.context["can_withdraw"] is False
    assert 'data-testid="withdrawn-note"' in body
    assert reverse("grants:apply_project", args=[withdrawn.pk]) not in body
    listing = logged_in.get(reverse("grants:my_applications")).content.decode()
    assert reverse("grants:apply_review", args=[withdrawn.pk]) not in listing
    home = logged_in.get(reverse("home")).content.decode()
    assert reverse("grants:apply_project", args=[withdrawn.pk]) not in home
