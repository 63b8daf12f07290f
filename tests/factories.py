"""factory_boy factories for the foundation models, shared by every app's tests."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from grants.models import Application, BudgetLine, Field, FieldEnvelope, GrantRound
from mentors.models import Assignment, CoachingVisit, Mentor
from networks.models import CommunityGroup, District, Dong, Forum, Network, Region

PASSWORD = "correct-horse-battery-staple"


# Sequence names are zero-padded so that one is never part of another ("주민0001" is not in "주민0012"):
# a test asserting that a page does, or does not, show one object cannot then pass or fail by the
# order in which tests happened to build objects.


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"주민{n:04d}")
    phone = "010-1234-5678"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    name = "서구"
    city = "광주광역시"
    code = "gwangju-seogu"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"권역{n:04d}")


class DongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dong

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"테스트{n:04d}동")
    code = factory.Sequence(lambda n: f"D{n:04d}")


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityGroup

    name = factory.Sequence(lambda n: f"햇살마을공동체{n:04d}")
    kind = CommunityGroup.Kind.VILLAGE
    dong = factory.SubFactory(DongFactory)
    representative = factory.SubFactory(UserFactory)
    member_count = 8
    description = "이웃과 함께 골목을 가꾸는 모임입니다."


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    kind = Network.Kind.DONG
    dong = factory.SubFactory(DongFactory)
    district = factory.SelfAttribute("dong.district")
    name = factory.LazyAttribute(lambda o: f"{o.dong.name} 마을네트워크")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A dong's network is created with the dong (networks.signals): reuse that row.
        dong = kwargs.get("dong")
        if kwargs.get("kind", Network.Kind.DONG) == Network.Kind.DONG and dong is not None:
            existing = model_class.objects.filter(kind=Network.Kind.DONG, dong=dong).first()
            if existing is not None:
                for name, value in kwargs.items():
                    setattr(existing, name, value)
                existing.save()
                return existing
        return super()._create(model_class, *args, **kwargs)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"마을 공론장 {n:04d}")
    agenda = "골목 쓰레기 문제를 함께 이야기합니다."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "동 행정복지센터 2층"
    capacity = 20


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"분야{n:04d}")
    order = factory.Sequence(int)


class GrantRoundFactory(factory.django.DjangoModelFactory):
    """An open round by default: opened a month ago, closes in a month."""

    class Meta:
        model = GrantRound

    district = factory.SubFactory(DistrictFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"2026 마을공동체 공모사업 {n:04d}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    budget = 360_000_000
    max_per_group = 8_000_000
    min_group_size = 5
    min_self_contribution_percent = 10


class FieldEnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldEnvelope

    round = factory.SubFactory(GrantRoundFactory)
    field = factory.SubFactory(FieldFactory)
    amount = None


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    group = factory.SubFactory(CommunityGroupFactory)
    round = factory.SubFactory(GrantRoundFactory)
    field = factory.SubFactory(FieldFactory)
    title = factory.Sequence(lambda n: f"골목 화단 가꾸기 {n:04d}")
    summary = "주민이 함께 골목 화단을 가꿉니다."
    plan = "4월부터 10월까지 매달 둘째 토요일에 모입니다."
    requested_amount = 3_000_000
    status = Application.Status.DRAFT
    created_by = factory.SelfAttribute("group.representative")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    category = BudgetLine.Category.MATERIALS
    item = "꽃모종과 흙"
    amount = 1_000_000
    source = BudgetLine.Source.SUBSIDY


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    user = factory.SubFactory(UserFactory)
    bio = "마을활동 15년"
    specialties = factory.LazyFunction(lambda: ["마을계획"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    mentor = factory.SubFactory(MentorFactory)
    group = factory.SubFactory(CommunityGroupFactory)
    round = factory.SubFactory(GrantRoundFactory)


class CoachingVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingVisit

    mentor = factory.SubFactory(MentorFactory)
    group = factory.SubFactory(CommunityGroupFactory)
    date = factory.LazyFunction(lambda: timezone.localdate())
    kind = CoachingVisit.Kind.COACHING
    duration_minutes = 60
    attendees = 6
    topics = "회계 정리"
    notes = "대표님이 정산을 어려워하심 (비공개 메모)"
    follow_up_actions = "영수증 정리 양식 전달"
