"""Factories for the models the mentors app adds; the foundation's live in tests.factories."""

import datetime

import factory
from django.utils import timezone

from mentors.models import EducationSession, FollowUp, SessionInvitation
from tests.factories import CoachingVisitFactory, CommunityGroupFactory, MentorFactory


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    visit = factory.SubFactory(CoachingVisitFactory)
    description = "예산서 다시 정리하기"
    owner = "총무"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class EducationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationSession

    mentor = factory.SubFactory(MentorFactory)
    title = factory.Sequence(lambda n: f"마을공동체 소양 교육 {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    place = "서구청 3층 교육장"
    capacity = 30


class SessionInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionInvitation

    session = factory.SubFactory(EducationSessionFactory)
    group = factory.SubFactory(CommunityGroupFactory)
