import pytest

from grants.models import Application
from mentors.tests.factories import EducationSessionFactory, FollowUpFactory, SessionInvitationFactory
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    BudgetLineFactory,
    CoachingVisitFactory,
    GrantRoundFactory,
)

PRIVATE_NOTE = "PRIVATE-NOTE-대표님 건강이 안 좋으심"


@pytest.fixture
def grant_round(db):
    return GrantRoundFactory()


@pytest.fixture
def group(resident):
    return resident.represented_groups.get()


@pytest.fixture
def application(group, grant_round):
    application = ApplicationFactory(group=group, round=grant_round, status=Application.Status.SUBMITTED)
    BudgetLineFactory(application=application, item="꽃모종과 흙")
    return application


@pytest.fixture
def assignment(mentor, group, grant_round, application):
    """The resident's group is assigned to ``mentor`` in the open round."""
    return AssignmentFactory(mentor=mentor.mentor_profile, group=group, round=grant_round)


@pytest.fixture
def visit(assignment):
    return CoachingVisitFactory(mentor=assignment.mentor, group=assignment.group, notes=PRIVATE_NOTE)


@pytest.fixture
def follow_up(visit):
    return FollowUpFactory(visit=visit)


@pytest.fixture
def session(assignment):
    session = EducationSessionFactory(mentor=assignment.mentor)
    SessionInvitationFactory(session=session, group=assignment.group)
    return session
