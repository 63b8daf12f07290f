"""Bad filter and search parameters answer 400 with a message, never 500 or a 15-second search."""

import time

import pytest
from django.urls import reverse

from grants.tests.helpers import in_review_applications
from portal.params import MAX_SEARCH_TERMS
from tests.factories import FieldFactory, GrantRoundFactory

pytestmark = pytest.mark.django_db


def export(client, filters):
    return client.post(reverse("admin:grants_application_export"), {"filters": filters, "export_format": "csv"})


@pytest.mark.parametrize(
    "filters",
    ["round__id__exact=abc", "field__id__exact=1%20OR%201=1", "group__dong__id__exact=-1", "q=%E3%85%8B%00x"],
)
def test_a_bad_export_filter_answers_400_with_a_message(client, staff, filters):
    client.force_login(staff)
    response = export(client, filters)
    assert response.status_code == 400
    assert response.context["message"]
    assert b'data-testid="bad-parameters"' in response.content


def test_a_search_of_more_than_the_cap_is_refused_quickly_by_the_export_and_the_list(client, staff):
    round_ = GrantRoundFactory()
    in_review_applications(round_=round_, field=FieldFactory(), count=3)
    client.force_login(staff)
    many = " ".join(f"낱말{n}" for n in range(2_000))
    started = time.monotonic()
    assert export(client, f"q={many}").status_code == 400
    listed = client.get(reverse("admin:grants_application_changelist"), {"q": many})
    assert listed.status_code == 400
    assert str(MAX_SEARCH_TERMS) in listed.context["message"]
    assert time.monotonic() - started < 2


def test_a_search_within_the_cap_still_works(client, staff):
    round_ = GrantRoundFactory()
    (application,) = in_review_applications(round_=round_, field=FieldFactory(), count=1)
    client.force_login(staff)
    words = application.title.split()
    assert len(words) <= MAX_SEARCH_TERMS
    response = client.get(reverse("admin:grants_application_changelist"), {"q": application.title})
    assert response.status_code == 200
    assert application in response.context["cl"].result_list


@pytest.mark.parametrize(
    "params",
    [{"round__id__exact": "abc"}, {"q": "화단\x00"}, {"status__exact": "submitted\x00"}],
)
def test_bad_parameters_on_an_admin_list_answer_400_not_500(client, staff, params):
    client.force_login(staff)
    response = client.get(reverse("admin:grants_application_changelist"), params)
    assert response.status_code == 400
    assert response.context["message"]


def test_a_nul_in_a_public_page_address_answers_400_with_the_portal_page(client):
    response = client.get(reverse("networks:list"), {"q": "\x00"})
    assert response.status_code == 400
    assert b'data-testid="bad-parameters"' in response.content


def test_good_admin_filters_still_work(client, staff):
    round_ = GrantRoundFactory()
    in_review_applications(round_=round_, field=FieldFactory(), count=2)
    client.force_login(staff)
    response = client.get(reverse("admin:grants_application_changelist"), {"round__id__exact": str(round_.pk)})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
