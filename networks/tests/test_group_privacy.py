"""The group form says the description is public only once the group is funded; the public
group page does what it says (defect 13)."""

import pytest
from django.urls import reverse

from grants import services, workflow
from grants.models import Application
from tests.factories import ApplicationFactory, CommunityGroupFactory, FieldEnvelopeFactory, GrantRoundFactory

pytestmark = pytest.mark.django_db

SECRET = "우리 모임은 매주 화요일 302호에 모입니다"


@pytest.fixture
def group(db):
    return CommunityGroupFactory(description=SECRET)


def _public_page(client, group) -> str:
    client.logout()
    response = client.get(reverse("networks:group", args=[group.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _approve(group, staff, *, round_=None):
    round_ = round_ or GrantRoundFactory()
    application = ApplicationFactory(group=group, round=round_, status=workflow.IN_REVIEW, requested_amount=1_000_000)
    FieldEnvelopeFactory(round=round_, field=application.field)
    return services.application_approve(application=application, amount=1_000_000, by=staff)


def test_a_new_groups_description_is_not_public(client, group):
    assert SECRET not in _public_page(client, group)


def test_a_rejected_or_draft_groups_description_stays_private(client, group, staff):
    round_ = GrantRoundFactory()
    application = ApplicationFactory(group=group, round=round_, status=workflow.IN_REVIEW)
    services.application_reject(application=application, reason="예산 초과", by=staff)
    services.round_publish_results(round_=round_, by=staff)
    assert SECRET not in _public_page(client, group)


def test_an_approval_makes_the_description_public_only_once_released(client, group, staff):
    approved = _approve(group, staff)
    assert SECRET not in _public_page(client, group)
    services.round_publish_results(round_=approved.round, by=staff)
    assert Application.objects.get(pk=approved.pk).decision_visible_to_resident
    assert SECRET in _public_page(client, group)


def test_the_representative_sees_the_private_description_marked_as_private(client, group):
    client.force_login(group.representative)
    body = client.get(reverse("networks:group", args=[group.pk])).content.decode()
    assert 'data-testid="group-description-private"' in body and SECRET in body
