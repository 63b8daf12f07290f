"""Factories for the staff-side models, on top of the shared ones."""

import factory
from django.core.files.base import ContentFile

from grants.models import Attachment, Criterion, Review
from tests.factories import ApplicationFactory, GrantRoundFactory, UserFactory


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(GrantRoundFactory)
    name = factory.Sequence(lambda n: f"기준{n}")
    weight = 1
    max_score = 10


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory, is_staff=True)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    kind = Attachment.Kind.PLAN
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="plan.pdf"))
    original_name = "사업계획서.pdf"
    content_type = "application/pdf"
    size = 13
