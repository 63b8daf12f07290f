"""The staff application list: search finds what staff type, and no sort or search costs more
queries with 1,000 applications than with 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.admin import ApplicationAdmin
from grants.tests.helpers import in_review_applications
from tests.factories import ApplicationFactory, CommunityGroupFactory, FieldFactory, GrantRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(client, round_, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    response = client.get(f"/admin/grants/application/?round__id__exact={round_.pk}&{query}")
    assert response.status_code == 200
    return {application.title for application in response.context["cl"].result_list}


@pytest.fixture
def searchable(db):
    round_ = GrantRoundFactory()
    representative = UserFactory(name="김순자")
    ApplicationFactory(round=round_, title="골목 화단 가꾸기", group=CommunityGroupFactory(name="햇살 모임"))
    ApplicationFactory(round=round_, title="어르신 건강 체조", group=CommunityGroupFactory(name="농성 마을회"))
    apartment = CommunityGroupFactory(name="푸른 아파트", representative=representative)
    ApplicationFactory(round=round_, title="아파트 공동 텃밭", group=apartment)
    return round_


def test_search_finds_a_title_a_group_name_and_a_representative(client, staff, searchable):
    client.force_login(staff)
    assert listed(client, searchable, q="화단") == {"골목 화단 가꾸기"}
    assert listed(client, searchable, q="농성") == {"어르신 건강 체조"}
    assert listed(client, searchable, q="김순자") == {"아파트 공동 텃밭"}


def test_every_word_must_match_and_quotes_keep_a_phrase(client, staff, searchable):
    client.force_login(staff)
    assert listed(client, searchable, q="아파트 텃밭") == {"아파트 공동 텃밭"}
    assert listed(client, searchable, q="아파트 체조") == set()
    assert listed(client, searchable, q='"공동 텃밭"') == {"아파트 공동 텃밭"}
    assert listed(client, searchable, q='"텃밭 공동"') == set()


def test_search_is_case_insensitive_for_latin_letters(client, staff):
    round_ = GrantRoundFactory()
    ApplicationFactory(round=round_, title="Green Alley 프로젝트")
    client.force_login(staff)
    assert listed(client, round_, q="green alley") == {"Green Alley 프로젝트"}


SORTABLE = [str(n) for n in range(1, len(ApplicationAdmin.list_display) + 1)]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_no_sort_or_search_costs_more_queries_with_a_thousand_applications(client, staff):
    round_ = GrantRoundFactory()
    field = FieldFactory()
    in_review_applications(round_=round_, field=field, count=10)
    client.force_login(staff)
    base = f"/admin/grants/application/?round__id__exact={round_.pk}"
    urls = [base, base + "&q=골목", base + "&q=골목+사업", *(f"{base}&o={column}" for column in SORTABLE)]
    urls += [f"{base}&o=-{column}" for column in SORTABLE]
    small = {url: count_queries(client, url) for url in urls}

    in_review_applications(round_=round_, field=field, count=990)

    large = {url: count_queries(client, url) for url in urls}
    assert large == small
