"""A small, complete portal for tests that walk it as its people do: a resident with a submitted
application and a document, her group's mentor with a visit, a follow-up and a photo, an education
session, a forum in her dong's network with its coordinator, and a member of staff.

Use the ``world`` fixture (tests/conftest.py) or call ``build_world()`` inside a test with DB access.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from grants.models import Application, Attachment
from mentors.models import VisitPhoto
from mentors.tests.factories import EducationSessionFactory, FollowUpFactory, SessionInvitationFactory
from networks.tests.factories import ForumRegistrationFactory, coordinator_of
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    BudgetLineFactory,
    CoachingVisitFactory,
    CommunityGroupFactory,
    FieldEnvelopeFactory,
    FieldFactory,
    ForumFactory,
    GrantRoundFactory,
    MentorFactory,
    UserFactory,
)

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>"
    b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# A 1×1 PNG.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f0"
    "1f0005000201a2e9a5a00000000049454e44ae426082"
)


@dataclass
class World:
    resident: object
    group: object
    round: object
    application: object
    attachment: object
    drafter: object
    draft: object
    mentor: object
    assignment: object
    visit: object
    photo: object
    session: object
    coordinator: object
    network: object
    forum: object
    staff: object


def build_world() -> World:
    resident = UserFactory(email="world-resident@example.com", name="김주민")
    group = CommunityGroupFactory(representative=resident, name="햇살마을공동체")
    round_ = GrantRoundFactory(title="2026 서구 마을공동체 공모사업")
    field = FieldFactory(name="기후환경")
    FieldEnvelopeFactory(round=round_, field=field)
    application = ApplicationFactory(
        group=group,
        round=round_,
        field=field,
        status=Application.Status.SUBMITTED,
        title="골목 화단 가꾸기",
    )
    BudgetLineFactory(application=application)
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.SIGNATURES,
        original_name="서명부.pdf",
        content_type="application/pdf",
        size=len(TINY_PDF),
        uploaded_by=resident,
    )
    attachment.file.save("서명부.pdf", ContentFile(TINY_PDF), save=True)
    # Another representative whose application is still a draft: the step pages are open to her.
    drafter = UserFactory(email="world-drafter@example.com", name="박이웃")
    draft_group = CommunityGroupFactory(representative=drafter, dong=group.dong, name="달빛아파트공동체")
    draft = ApplicationFactory(group=draft_group, round=round_, field=field, title="아파트 텃밭")
    BudgetLineFactory(application=draft)

    mentor = MentorFactory(user=UserFactory(email="world-mentor@example.com", name="이멘토")).user
    assignment = AssignmentFactory(mentor=mentor.mentor_profile, group=group, round=round_)
    visit = CoachingVisitFactory(mentor=assignment.mentor, group=group)
    FollowUpFactory(visit=visit)
    photo = VisitPhoto(visit=visit, original_name="화단.png", content_type="image/png", size=len(TINY_PNG))
    photo.file.save("화단.png", ContentFile(TINY_PNG), save=True)
    session = EducationSessionFactory(mentor=assignment.mentor)
    SessionInvitationFactory(session=session, group=group)

    network = group.dong.networks.get()  # every dong has its network (networks.signals)
    coordinator = coordinator_of(network, email="world-coordinator@example.com", name="한코디")
    forum = ForumFactory(network=network)
    ForumRegistrationFactory(forum=forum, user=resident)

    staff = UserFactory(email="world-staff@example.com", name="정주무관", is_staff=True, is_superuser=True)
    return World(
        resident=resident,
        group=group,
        round=round_,
        application=application,
        attachment=attachment,
        drafter=drafter,
        draft=draft,
        mentor=mentor,
        assignment=assignment,
        visit=visit,
        photo=photo,
        session=session,
        coordinator=coordinator,
        network=network,
        forum=forum,
        staff=staff,
    )


__all__ = ["World", "build_world"]
