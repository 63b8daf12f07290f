"""Demo data: Seo-gu, Gwangju as ``shared/PROGRAM.md`` describes it, at any scale.

Group ``i`` (1-based) is always built the same way from ``Random(seed * 1_000_003 + i)``, so
a run is reproducible and a second run only adds what is missing (nothing, at the same
``--groups``). Rows are written with ``bulk_create`` so ``--groups 10000`` stays fast.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from grants.consents import WORDING_VERSION
from grants.models import (
    Application,
    BudgetLine,
    Consent,
    Criterion,
    Field,
    FieldEnvelope,
    GrantRound,
    StatusChange,
)
from mentors.models import Assignment, CoachingVisit, FollowUp, Mentor
from mentors.services import refresh_last_visits
from networks.models import (
    CommunityGroup,
    Decision,
    District,
    Dong,
    Forum,
    ForumRegistration,
    GroupMember,
    Network,
    NetworkMembership,
    Region,
)
from portal import public_cache
from projects import demo as project_demo

DISTRICT_CODE = "gwangju-seogu"
DONGS = [
    "양동",
    "양3동",
    "농성1동",
    "농성2동",
    "광천동",
    "유덕동",
    "치평동",
    "상무1동",
    "상무2동",
    "화정1동",
    "화정2동",
    "화정3동",
    "화정4동",
    "서창동",
    "금호1동",
    "금호2동",
    "풍암동",
    "동천동",
]
# Hub dongs are the district's; which dongs belong to each region is not published, so this
# grouping is illustrative and staff edit it in the admin.
REGIONS = {
    "치평권": ("치평동", ["치평동", "상무1동", "상무2동", "화정1동", "화정2동"]),
    "동천권": ("동천동", ["동천동", "유덕동", "광천동", "양동", "양3동", "농성1동", "농성2동"]),
    "금호권": ("금호1동", ["금호1동", "금호2동", "화정3동", "화정4동"]),
    "풍암권": ("풍암동", ["풍암동", "서창동"]),
}
FIELDS = [
    ("돌봄·교육", "아이와 어르신을 함께 돌보고 배우는 마을"),
    ("나눔·돌봄", "이웃과 나누고 서로 돌보는 마을"),
    ("기후환경", "기후위기에 함께 대응하는 마을"),
    ("문화·예술", "문화와 예술로 어울리는 마을"),
]
PROJECTS = {
    "돌봄·교육": ["방과후 마을 돌봄교실", "어르신 스마트폰 배움터", "다문화 가족 한글 교실", "아이들 마을 탐험대"],
    "나눔·돌봄": ["홀몸 어르신 반찬 나눔", "이웃 안부 살피기", "마을 공유 냉장고", "아파트 나눔 장터"],
    "기후환경": ["골목 화단 가꾸기", "아파트 텃밭 공동체", "플라스틱 줄이기 캠페인", "빗물 저금통 만들기"],
    "문화·예술": ["마을 합창단", "골목 벽화 그리기", "주민 영화 상영회", "마을 사진 기록단"],
}
NAME_PREFIXES = [
    "햇살",
    "푸른",
    "행복한",
    "이웃사촌",
    "꿈꾸는",
    "어울림",
    "도란도란",
    "다정한",
    "무지개",
    "한마음",
    "새싹",
    "마중물",
    "오순도순",
    "두레",
    "품앗이",
    "온새미로",
    "늘푸른",
    "정다운",
    "함께하는",
    "사랑채",
]
APARTMENT_BRANDS = ["금호", "상무", "풍암", "화정", "중흥", "대주", "우미", "호반", "모아", "현대"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["영희", "철수", "순자", "민수", "정숙", "영수", "미경", "성호", "은주", "광수", "옥순", "재훈"]
ROLES = ["대표", "총무", "회계", "홍보", "회원"]
MENTOR_NAMES = ["김마을", "이공동", "박나눔", "최두레", "정이웃", "한다솜"]
FUNDED_2025 = 109
DEFAULT_GROUPS = 130
APPLICANTS_2026 = 48
STATUS_CYCLE_2026 = [
    "draft",
    "submitted",
    "screening",
    "in_review",
    "changes_requested",
    "approved",
    "rejected",
    "withdrawn",
    "submitted",
    "draft",
    "in_review",
    "screening",
]
RUBRIC = [  # (criterion, weight): the usual Korean village-community scoring sheet
    ("주민 참여", 3),
    ("사업 실현 가능성", 2),
    ("예산의 적정성", 2),
    ("지속 가능성", 2),
    ("공익성", 1),
]
AMOUNTS_2025 = [2_500_000, 3_500_000, 3_000_000, 2_000_000, 4_000_000]


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, count: int) -> None:
        if count:
            self.created[label] = self.created.get(label, 0) + count

    @property
    def changed(self) -> bool:
        return bool(self.created)


def seoul(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@transaction.atomic
def seed(*, groups: int = DEFAULT_GROUPS, seed: int = 2025, password: str) -> Summary:
    """Build (or complete) the demo world; returns what was created."""
    summary = Summary()
    password_hash = make_password(password)
    district = _district(summary)
    dongs = _dongs(district, summary)
    fields = _fields(summary)
    round_2025, round_2026 = _rounds(district, fields, summary)
    staff = _user("staff@example.com", "서구청 주무관", password_hash, summary, is_staff=True, is_superuser=True)
    mentors = [_mentor(i, password_hash, summary) for i in range(1, 7)]
    networks = _networks(district, dongs, summary)
    new_groups = _groups(groups, seed, dongs, password_hash, summary)
    _applications(new_groups, seed, fields, round_2025, round_2026, staff, summary)
    _assignments(round_2025, round_2026, mentors, seed, summary)
    refresh_last_visits()  # the visits were bulk-loaded: no signals
    _memberships(networks, summary)
    _forums(networks, mentors, seed, summary)
    _sync_round_totals(round_2025)
    _sync_round_totals(round_2026)
    # 2025's projects at every stage, through the projects services (after the totals agree).
    summary.add("projects", project_demo.seed(round_=round_2025, staff=staff, seed=seed))
    public_cache.bump_all()  # bulk writes send no signals either
    return summary


def _district(summary):
    district, created = District.objects.get_or_create(
        code=DISTRICT_CODE, defaults={"name": "서구", "city": "광주광역시"}
    )
    summary.add("districts", int(created))
    return district


def _dongs(district, summary):
    dongs = {}
    for order, name in enumerate(DONGS, start=1):
        dong, created = Dong.objects.get_or_create(
            district=district, name=name, defaults={"code": f"29140{order:03d}", "order": order}
        )
        summary.add("dongs", int(created))
        dongs[name] = dong
    for region_name, (hub, members) in REGIONS.items():
        region, created = Region.objects.get_or_create(
            district=district, name=region_name, defaults={"hub_dong": dongs[hub]}
        )
        summary.add("regions", int(created))
        if created:
            Dong.objects.filter(district=district, name__in=members).update(region=region)
    return dongs


def _fields(summary):
    result = []
    for order, (name, description) in enumerate(FIELDS, start=1):
        item, created = Field.objects.get_or_create(name=name, defaults={"description": description, "order": order})
        summary.add("fields", int(created))
        result.append(item)
    return result


def _rounds(district, fields, summary):
    now = timezone.now()
    round_2025, created = GrantRound.objects.get_or_create(
        district=district,
        year=2025,
        defaults={
            "title": "2025년 서구 마을공동체 공모사업",
            "description": "4개 분야 109개 공동체를 지원했습니다.",
            "opens_at": seoul(2025, 2, 3),
            "closes_at": seoul(2025, 3, 14, 18),
            "budget": 350_000_000,
            "target_groups": FUNDED_2025,
            "min_group_size": 5,
            "max_per_group": 5_000_000,
            "min_self_contribution_percent": 10,
            "results_published_at": seoul(2025, 4, 1),
        },
    )
    summary.add("rounds", int(created))
    if created:
        FieldEnvelope.objects.bulk_create(FieldEnvelope(round=round_2025, field=f, amount=87_500_000) for f in fields)
        _rubric(round_2025)
    round_2026, created = GrantRound.objects.get_or_create(
        district=district,
        year=2026,
        defaults={
            "title": "2026년 서구 마을공동체 공모사업",
            "description": "4개 부문 11개 분야, 약 98개 공동체, 공동체당 최대 800만 원을 지원합니다.",
            "opens_at": now - datetime.timedelta(days=20),
            "closes_at": now + datetime.timedelta(days=25),
            "budget": 360_000_000,
            "target_groups": 98,
            "min_group_size": 5,
            "max_per_group": 8_000_000,
            "min_self_contribution_percent": 10,
        },
    )
    summary.add("rounds", int(created))
    if created:
        FieldEnvelope.objects.bulk_create(FieldEnvelope(round=round_2026, field=f, amount=90_000_000) for f in fields)
        _rubric(round_2026)
    return round_2025, round_2026


def _rubric(grant_round):
    Criterion.objects.bulk_create(
        Criterion(round=grant_round, name=name, weight=weight, max_score=10, order=order)
        for order, (name, weight) in enumerate(RUBRIC, start=1)
    )


def _user(email, name, password_hash, summary, **extra):
    user, created = User.objects.get_or_create(
        email=email, defaults={"name": name, "password": password_hash, "phone": "062-360-7000", **extra}
    )
    summary.add("users", int(created))
    return user


def _mentor(i, password_hash, summary):
    user = _user(f"mentor{i}@example.com", MENTOR_NAMES[i - 1], password_hash, summary)
    mentor, created = Mentor.objects.get_or_create(
        user=user,
        defaults={
            "bio": "세큰대 마을자치(전문)학과 최고과정 수료, 마을활동 10년 이상",
            "specialties": ["소양 교육", "운영 코칭", "네트워크"],
        },
    )
    summary.add("mentors", int(created))
    return mentor


def _networks(district, dongs, summary):
    networks = []
    for dong in dongs.values():
        network, created = Network.objects.get_or_create(
            kind=Network.Kind.DONG,
            dong=dong,
            defaults={
                "district": district,
                "name": f"{dong.name} 마을네트워크",
                "description": f"{dong.name}의 공동체들이 함께 모이는 동 네트워크입니다.",
            },
        )
        summary.add("networks", int(created))
        networks.append(network)
    for region in Region.objects.filter(district=district):
        network, created = Network.objects.get_or_create(
            kind=Network.Kind.REGIONAL,
            region=region,
            defaults={
                "district": district,
                "name": f"{region.name} 네트워크",
                "description": f"{region.name} 공동체들이 함께하는 권역별 네트워크입니다.",
            },
        )
        summary.add("networks", int(created))
        networks.append(network)
    return networks


def _person_name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _groups(total, seed, dongs, password_hash, summary):
    """Create residents resident{i} and their groups for every index not yet built."""
    existing = set(User.objects.filter(email__startswith="resident").values_list("email", flat=True))
    dong_list = list(dongs.values())
    users, groups, members = [], [], []
    for i in range(1, total + 1):
        email = f"resident{i}@example.com"
        if email in existing:
            continue
        rng = random.Random(seed * 1_000_003 + i)
        dong = dong_list[(i - 1) % len(dong_list)]
        apartment = rng.random() < 0.35
        if apartment:
            name = f"{dong.name} {rng.choice(APARTMENT_BRANDS)}아파트 공동체 {i}"
        else:
            name = f"{rng.choice(NAME_PREFIXES)} {dong.name.rstrip('동')}마을 {i}"
        user = User(
            email=email,
            name=_person_name(rng),
            phone=f"010-{rng.randint(2000, 9999)}-{i % 10000:04d}",
            password=password_hash,
        )
        users.append(user)
        group = CommunityGroup(
            name=name,
            kind=CommunityGroup.Kind.APARTMENT if apartment else CommunityGroup.Kind.VILLAGE,
            dong=dong,
            representative=user,
            member_count=rng.randint(5, 25),
            description=f"{dong.name} 주민 {rng.randint(5, 25)}명이 함께 마을 일을 궁리하는 모임입니다.",
            contact_phone=user.phone,
            contact_email=email,
        )
        groups.append((i, group))
        members.extend((group, _person_name(rng), ROLES[min(k, len(ROLES) - 1)], k) for k in range(rng.randint(5, 7)))
    User.objects.bulk_create(users, batch_size=2000)
    for _, group in groups:
        group.representative_id = group.representative.pk
    CommunityGroup.objects.bulk_create([g for _, g in groups], batch_size=2000)
    GroupMember.objects.bulk_create(
        (GroupMember(group=g, name=n, role=r, order=o) for g, n, r, o in members), batch_size=5000
    )
    summary.add("users", len(users))
    summary.add("groups", len(groups))
    return groups


def _applications(new_groups, seed, fields, round_2025, round_2026, staff, summary):
    """2025: the first 109 groups funded, the next 21 rejected; 2026: drafts and submissions
    in every status (the first 48 groups by default, and every group past the default 130)."""
    applications, lines, changes = [], [], []
    room = _RoomLeft(round_2026)
    for i, group in new_groups:
        rng = random.Random(seed * 7_919 + i)
        if i <= DEFAULT_GROUPS:
            status = "approved" if i <= FUNDED_2025 else "rejected"
            field_ = fields[(i - 1) % len(fields)]
            amount = AMOUNTS_2025[(i - 1) % len(AMOUNTS_2025)]
            applications.append(_application(group, round_2025, field_, status, amount, rng, i, decided=True))
        if i <= APPLICANTS_2026 or i > DEFAULT_GROUPS:
            status = STATUS_CYCLE_2026[(i - 1) % len(STATUS_CYCLE_2026)]
            if i == 1:
                status = "draft"
            field_ = fields[rng.randrange(len(fields))]
            amount = rng.choice([3_000_000, 4_500_000, 5_000_000, 6_000_000, 8_000_000])
            if status == "approved" and not room.take(field_, amount):
                status = "in_review"  # at national scale the budget runs out: the rest wait
            applications.append(_application(group, round_2026, field_, status, amount, rng, i, decided=False))
    Application.objects.bulk_create(applications, batch_size=2000)
    for application in applications:
        lines.extend(_budget_lines(application))
        changes.extend(_history(application, staff))
    BudgetLine.objects.bulk_create(lines, batch_size=5000)
    StatusChange.objects.bulk_create(changes, batch_size=5000)
    Consent.objects.bulk_create(_consents(applications), batch_size=5000)
    # The 2025 results are out: a funded group's description is public (networks.services
    # publish_group_description does the same when a release happens in the portal).
    funded = [group.pk for i, group in new_groups if i <= min(FUNDED_2025, DEFAULT_GROUPS)]
    CommunityGroup.objects.filter(pk__in=funded, description_public_since__isnull=True).update(
        description_public_since=round_2025.closes_at
    )
    summary.add("applications", len(applications))
    summary.add("budget lines", len(lines))


class _RoomLeft:
    """What is left of a round's budget and field envelopes while seeding approvals."""

    def __init__(self, grant_round):
        from django.db.models import Sum

        approved = Application.objects.filter(round=grant_round, status="approved")
        self.round_left = grant_round.budget - (approved.aggregate(t=Sum("awarded_amount"))["t"] or 0)
        self.field_left = {}
        for envelope in FieldEnvelope.objects.filter(round=grant_round):
            spent = approved.filter(field=envelope.field).aggregate(t=Sum("awarded_amount"))["t"] or 0
            self.field_left[envelope.field_id] = None if envelope.amount is None else envelope.amount - spent

    def take(self, field_, amount) -> bool:
        field_left = self.field_left.get(field_.pk)
        if amount > self.round_left or (field_left is not None and amount > field_left):
            return False
        self.round_left -= amount
        if field_left is not None:
            self.field_left[field_.pk] = field_left - amount
        return True


def _application(group, grant_round, field_, status, amount, rng, i, *, decided):
    title = f"{rng.choice(PROJECTS[field_.name])}"
    submitted = None if status == "draft" else grant_round.opens_at + datetime.timedelta(days=5 + i % 20, hours=i % 9)
    return Application(
        group=group,
        round=grant_round,
        field=field_,
        title=title,
        summary=f"{group.dong.name} 주민이 함께하는 '{title}' 사업입니다.",
        purpose="이웃 간의 관계를 회복하고 마을의 문제를 주민 스스로 해결합니다.",
        plan="1단계 주민 모집 → 2단계 월 2회 정기 활동 → 3단계 성과 공유회",
        schedule="4월 준비, 5~10월 활동, 11월 공유회와 정산",
        expected_outcomes="참여 주민 30명 이상, 정기 모임 12회, 마을 소식지 2회 발행",
        resident_participation="기획부터 평가까지 주민이 직접 맡습니다.",
        requested_amount=amount,
        status=status,
        awarded_amount=amount if status == "approved" else None,
        submitted_at=submitted,
        decided_at=(submitted + datetime.timedelta(days=40))
        if submitted and status in ("approved", "rejected")
        else None,
        created_by=group.representative,
    )


def _budget_lines(application):
    subsidy = application.requested_amount
    parts = [
        ("activity", "주민 활동 운영비", subsidy * 4 // 10),
        ("materials", "재료 및 소모품", subsidy * 3 // 10),
        ("instructor", "강사비 (시간당 1만 원 이내)", subsidy * 2 // 10),
    ]
    parts.append(("publicity", "홍보물 제작", subsidy - sum(p[2] for p in parts)))
    lines = [
        BudgetLine(application=application, category=c, item=item, amount=a, source="subsidy", order=o)
        for o, (c, item, a) in enumerate(parts)
    ]
    self_share = -(-subsidy * 10 // 90)  # at least 10% of the total project cost
    lines.append(
        BudgetLine(
            application=application,
            category="meetings",
            item="주민 회의 다과 (자부담)",
            amount=self_share,
            source="self",
            order=len(parts),
        )
    )
    return lines


def _consents(applications):
    """Every submitted application carries its consents; the optional one is given by two in three."""
    rows = []
    for application in applications:
        if application.status == "draft":
            continue
        representative = application.group.representative
        for kind in Consent.Kind.values:
            granted = kind != Consent.Kind.NOTICES or application.group_id % 3 != 0
            rows.append(
                Consent(
                    application=application,
                    kind=kind,
                    granted=granted,
                    text_version=WORDING_VERSION,
                    recorded_by=representative,
                )
            )
    return rows


PATHS = {
    "draft": [],
    "submitted": ["submitted"],
    "screening": ["submitted", "screening"],
    "in_review": ["submitted", "screening", "in_review"],
    "changes_requested": ["submitted", "screening", "changes_requested"],
    "approved": ["submitted", "screening", "in_review", "approved"],
    "rejected": ["submitted", "screening", "in_review", "rejected"],
    "withdrawn": ["submitted", "withdrawn"],
}


def _history(application, staff):
    previous, at, rows = "draft", application.submitted_at, []
    for step in PATHS[application.status]:
        by = application.group.representative if step in ("submitted", "withdrawn") else staff
        note = "예산서의 강사비 산출 근거를 보완해 주세요." if step == "changes_requested" else ""
        rows.append(
            StatusChange(application=application, from_status=previous, to_status=step, by=by, at=at, note=note)
        )
        previous, at = step, at + datetime.timedelta(days=7)
    return rows


def _assignments(round_2025, round_2026, mentors, seed, summary):
    """Each mentor follows about 18 funded 2025 groups (grouped by region) and the 2026 applicants."""
    created = 0
    for grant_round, statuses in (
        (round_2025, ["approved"]),
        (round_2026, ["submitted", "screening", "in_review", "changes_requested", "approved"]),
    ):
        taken = set(Assignment.objects.filter(round=grant_round).values_list("group_id", flat=True))
        group_ids = list(
            Application.objects.filter(round=grant_round, status__in=statuses)
            .exclude(group_id__in=taken)
            .order_by("group__dong__region__name", "group__dong__order", "group_id")
            .values_list("group_id", flat=True)
        )
        # Contiguous blocks of the region-ordered list: balanced loads, few regions per mentor.
        rows = [
            Assignment(mentor=mentors[k * len(mentors) // len(group_ids)], group_id=gid, round=grant_round)
            for k, gid in enumerate(group_ids)
        ]
        Assignment.objects.bulk_create(rows, batch_size=5000)
        created += len(rows)
        if grant_round == round_2025:
            _visits(rows, seed)
        else:
            _recent_visits(rows[::2], seed)
    summary.add("assignments", created)


def _recent_visits(assignments, seed):
    """Half of this round's groups had a planning visit in the last three weeks, with an open
    follow-up; the other half wait for their first visit (the mentor home lists them first)."""
    today = timezone.localdate()
    visits = []
    for assignment in assignments:
        rng = random.Random(seed * 15_485_863 + assignment.group_id)
        visits.append(
            CoachingVisit(
                mentor=assignment.mentor,
                group_id=assignment.group_id,
                date=today - datetime.timedelta(days=rng.randint(2, 21)),
                kind=CoachingVisit.Kind.COACHING,
                duration_minutes=90,
                attendees=rng.randint(4, 10),
                topics="사업계획서와 예산서 작성 코칭",
                notes="자부담 비율 계산을 함께 확인함.",
            )
        )
    CoachingVisit.objects.bulk_create(visits, batch_size=5000)
    FollowUp.objects.bulk_create(
        (
            FollowUp(
                visit=visit,
                description="참여 주민 서명부 받기",
                owner="대표",
                due_date=visit.date + datetime.timedelta(days=14),
            )
            for visit in visits
        ),
        batch_size=5000,
    )


def _visits(assignments, seed):
    kinds = [
        CoachingVisit.Kind.LITERACY,
        CoachingVisit.Kind.COACHING,
        CoachingVisit.Kind.SITE_CHECK,
        CoachingVisit.Kind.COACHING,
        CoachingVisit.Kind.NETWORK,
    ]
    visits, follow_ups = [], []
    for assignment in assignments:
        rng = random.Random(seed * 104_729 + assignment.group_id)
        for k in range(rng.randint(2, 4)):
            visit = CoachingVisit(
                mentor=assignment.mentor,
                group_id=assignment.group_id,
                date=datetime.date(2025, 4, 15) + datetime.timedelta(days=45 * k + rng.randint(0, 20)),
                kind=kinds[k % len(kinds)],
                duration_minutes=rng.choice([60, 90, 120]),
                attendees=rng.randint(4, 15),
                topics=rng.choice(["사업계획 점검", "회계 정리", "주민 모집", "정산 준비"]),
                notes="대표님과 총무님이 참석. 정산 서류 작성에 도움 필요.",
                follow_up_actions="영수증 정리 양식 전달",
            )
            visits.append(visit)
    CoachingVisit.objects.bulk_create(visits, batch_size=5000)
    for visit in visits[::3]:
        follow_ups.append(
            FollowUp(
                visit=visit,
                description="보조금 카드 영수증 정리",
                owner="총무",
                due_date=visit.date + datetime.timedelta(days=14),
                done_at=timezone.make_aware(
                    datetime.datetime.combine(visit.date + datetime.timedelta(days=10), datetime.time(12))
                ),
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)


def _memberships(networks, summary):
    existing = set(NetworkMembership.objects.values_list("network_id", "group_id"))
    rows = []
    for network in networks:
        groups = (
            CommunityGroup.objects.filter(dong=network.dong)
            if network.kind == Network.Kind.DONG
            else CommunityGroup.objects.filter(dong__region=network.region)
        )
        rows.extend(
            NetworkMembership(network=network, group_id=gid)
            for gid in groups.values_list("id", flat=True)
            if (network.pk, gid) not in existing
        )
    NetworkMembership.objects.bulk_create(rows, batch_size=5000)
    summary.add("network memberships", len(rows))


def _forums(networks, mentors, seed, summary):
    if Forum.objects.filter(network__in=networks).exists():
        return
    now = timezone.now()
    regional = [n for n in networks if n.kind == Network.Kind.REGIONAL]
    for k, network in enumerate(regional):
        network.coordinators.add(mentors[k].user)
        past = Forum.objects.create(
            network=network,
            title=f"{network.name} 상반기 공론장",
            agenda="공동체 간 협력 사업 정하기",
            starts_at=now - datetime.timedelta(days=40 + k),
            ends_at=now - datetime.timedelta(days=40 + k, hours=-2),
            place=f"{network.region.hub_dong.name} 행정복지센터 2층",
            capacity=40,
            organiser=mentors[k].user,
            minutes="각 공동체의 활동을 공유하고 공동 행사를 논의했습니다.",
        )
        Decision.objects.create(
            forum=past,
            text="가을 마을축제를 권역 공동으로 연다",
            owner="권역 네트워크 간사",
            due_date=(now + datetime.timedelta(days=20)).date(),
        )
        upcoming = Forum.objects.create(
            network=network,
            title=f"{network.name} 하반기 공론장",
            agenda="내년 공모사업 준비와 정산 경험 나누기",
            starts_at=now + datetime.timedelta(days=10 + k),
            ends_at=now + datetime.timedelta(days=10 + k, hours=2),
            place=f"{network.region.hub_dong.name} 행정복지센터 2층",
            capacity=40,
            organiser=mentors[k].user,
        )
        reps = CommunityGroup.objects.filter(dong__region=network.region).select_related("representative")[:5]
        ForumRegistration.objects.bulk_create(
            ForumRegistration(forum=upcoming, user=g.representative, group=g) for g in reps
        )
        summary.add("forums", 2)


def _sync_round_totals(grant_round):
    """Keep the round's and envelopes' awarded totals equal to the approved awards."""
    from django.db.models import Sum

    approved = Application.objects.filter(round=grant_round, status="approved")
    GrantRound.objects.filter(pk=grant_round.pk).update(
        awarded_total=approved.aggregate(total=Sum("awarded_amount"))["total"] or 0
    )
    for envelope in FieldEnvelope.objects.filter(round=grant_round):
        total = approved.filter(field=envelope.field).aggregate(total=Sum("awarded_amount"))["total"] or 0
        if envelope.awarded_total != total:
            FieldEnvelope.objects.filter(pk=envelope.pk).update(awarded_total=total)
