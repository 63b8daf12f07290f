"""Publishing a round's results releases its decisions once, and later decisions at once."""

import pytest

from grants import services, signals, workflow
from tests.factories import ApplicationFactory, FieldEnvelopeFactory, GrantRoundFactory


@pytest.fixture
def released():
    seen = []

    def receiver(sender, application, by, **kwargs):
        seen.append((application.pk, application.status))

    signals.decision_released.connect(receiver)
    yield seen
    signals.decision_released.disconnect(receiver)


@pytest.mark.django_db
def test_publishing_releases_every_decided_application_of_the_round_and_nothing_else(staff, released):
    round_ = GrantRoundFactory()
    approved = ApplicationFactory(round=round_, status=workflow.APPROVED, awarded_amount=1_000_000)
    rejected = ApplicationFactory(round=round_, status=workflow.REJECTED)
    ApplicationFactory(round=round_, status=workflow.IN_REVIEW)
    ApplicationFactory(status=workflow.APPROVED, awarded_amount=1_000_000)  # another round

    services.round_publish_results(round_=round_, by=staff)

    assert sorted(released) == sorted([(approved.pk, workflow.APPROVED), (rejected.pk, workflow.REJECTED)])
    round_.refresh_from_db()
    assert round_.results_published


@pytest.mark.django_db
def test_a_round_cannot_be_published_twice(staff, released):
    round_ = GrantRoundFactory()
    ApplicationFactory(round=round_, status=workflow.APPROVED, awarded_amount=1_000_000)
    services.round_publish_results(round_=round_, by=staff)

    with pytest.raises(services.AlreadyPublished):
        services.round_publish_results(round_=round_, by=staff)
    assert len(released) == 1


@pytest.mark.django_db
def test_an_approval_after_publication_is_released_at_once_and_one_before_is_not(staff, released):
    round_ = GrantRoundFactory()
    before = ApplicationFactory(round=round_, status=workflow.IN_REVIEW, requested_amount=2_000_000)
    FieldEnvelopeFactory(round=round_, field=before.field)
    services.application_approve(application=before, amount=1_000_000, by=staff)
    assert released == []

    services.round_publish_results(round_=round_, by=staff)
    after = ApplicationFactory(round=round_, status=workflow.IN_REVIEW, requested_amount=2_000_000, field=before.field)
    services.application_approve(application=after, amount=1_000_000, by=staff)

    assert [pk for pk, _ in released] == [before.pk, after.pk]
