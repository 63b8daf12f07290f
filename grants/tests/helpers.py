"""Shared set-ups for the staff-side tests."""

from django.utils import timezone

from grants import workflow
from grants.models import Application
from tests.factories import ApplicationFactory, CommunityGroupFactory, DongFactory, UserFactory


def in_review_applications(*, round_, field, count: int, requested: int = 1_000_000, dong=None) -> list[Application]:
    """``count`` applications in review in ``round_``/``field``, created in bulk for speed."""
    dong = dong or DongFactory(district=round_.district)
    representative = UserFactory()
    groups = CommunityGroupFactory.create_batch(count, dong=dong, representative=representative)
    now = timezone.now()
    return Application.objects.bulk_create(
        [
            Application(
                group=group,
                round=round_,
                field=field,
                title=f"골목 사업 {index}",
                requested_amount=requested,
                status=workflow.IN_REVIEW,
                submitted_at=now,
            )
            for index, group in enumerate(groups)
        ]
    )


def make_in_review(**kwargs) -> Application:
    return ApplicationFactory(status=workflow.IN_REVIEW, submitted_at=timezone.now(), **kwargs)


def reviewer_group():
    """The "reviewer" group that every ``migrate`` sets up (see ``grants/roles.py``)."""
    from django.contrib.auth.models import Group

    from grants.roles import REVIEWER_GROUP

    return Group.objects.get(name=REVIEWER_GROUP)


def assign_reviewer(reviewer, application, *, by=None) -> None:
    """Assign ``reviewer`` to ``application`` as staff would, with the committee consent the
    resident gave at submission (a reviewer sees nothing without it)."""
    from grants import services
    from grants.models import Consent

    Consent.objects.update_or_create(
        application=application, kind=Consent.Kind.THIRD_PARTY, defaults={"granted": True, "text_version": "2026-1"}
    )
    results = services.reviewers_assign(reviewer=reviewer, applications=[application], by=by)
    assert results == [(application, None)], results
