"""The world the permission matrix runs in: the whole cast and one real object of each kind,
and how to build every URL pattern of the project with real ids."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "mentor",
    "other_mentor",
    "reviewer",
    "staff_no_perms",
    "staff",
]


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str  # the pattern as written, prefixes joined
    pattern: URLPattern
    converters: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.name or self.route


def all_routes() -> list[Route]:
    """Every URL pattern of the project's URLconf, namespaces and prefixes resolved."""
    found = []

    def walk(patterns, prefix, namespace, converters):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                nested = namespace
                if entry.namespace:
                    nested = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    nested,
                    {**converters, **getattr(entry.pattern, "converters", {})},
                )
            else:
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                found.append(
                    Route(name, prefix + str(entry.pattern), entry, {**converters, **entry.pattern.converters})
                )

    walk(get_resolver().url_patterns, "", None, {})
    return found


class World:
    """One of everything, owned by the right members of the cast."""

    def __init__(self):
        from accounts.models import AccessLog
        from accounts.services import access_record
        from grants.models import Application, Attachment, ExportJob
        from grants.roles import REVIEWER_GROUP
        from grants.tests.factories import CriterionFactory, ReviewFactory
        from mentors.models import AssignmentChange, VisitPhoto
        from mentors.tests.factories import EducationSessionFactory, FollowUpFactory, SessionInvitationFactory
        from networks.models import Network, NetworkMembership
        from networks.tests.factories import DecisionFactory, ForumRegistrationFactory, RegionalNetworkFactory
        from notifications.models import Email, EmailPreference
        from notifications.rendering import unsubscribe_token
        from tests.factories import (
            ApplicationFactory,
            AssignmentFactory,
            BudgetLineFactory,
            CoachingVisitFactory,
            CommunityGroupFactory,
            DongFactory,
            FieldEnvelopeFactory,
            FieldFactory,
            ForumFactory,
            GrantRoundFactory,
            MentorFactory,
            RegionFactory,
            UserFactory,
        )

        self.users = {"anonymous": None}
        resident = UserFactory(email="resident@example.com", name="김주민")
        other = UserFactory(email="other@example.com", name="박이웃")
        mentor = MentorFactory(user=UserFactory(email="mentor@example.com", name="이멘토")).user
        other_mentor = MentorFactory(user=UserFactory(email="mentor2@example.com", name="최멘토")).user
        reviewer = UserFactory(email="reviewer@example.com", name="심사위원", is_staff=True)
        reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
        staff_no_perms = UserFactory(email="clerk@example.com", name="권한없음", is_staff=True)
        staff = UserFactory(email="staff@example.com", name="정주무관", is_staff=True, is_superuser=True)
        self.users.update(
            resident=resident,
            other_resident=other,
            mentor=mentor,
            other_mentor=other_mentor,
            reviewer=reviewer,
            staff_no_perms=staff_no_perms,
            staff=staff,
        )

        self.round = GrantRoundFactory(title="2026 공모")
        self.field = FieldFactory(name="돌봄·교육")
        FieldEnvelopeFactory(round=self.round, field=self.field)
        region = RegionFactory(district=self.round.district)
        dong = DongFactory(district=self.round.district, region=region, name="양동")
        self.group = CommunityGroupFactory(representative=resident, dong=dong, name="햇살마을", member_count=7)
        self.other_group = CommunityGroupFactory(representative=other, dong=dong, name="달빛아파트", member_count=7)
        self.closed_round = GrantRoundFactory(
            district=self.round.district,
            year=2025,
            opens_at=timezone.now() - datetime.timedelta(days=400),
            closes_at=timezone.now() - datetime.timedelta(days=300),
            results_published_at=timezone.now() - datetime.timedelta(days=200),
        )
        self.application = ApplicationFactory(
            group=self.group, round=self.round, field=self.field, title="골목 화단", requested_amount=1_000_000
        )
        BudgetLineFactory(application=self.application, amount=1_000_000)
        BudgetLineFactory(application=self.application, amount=200_000, source="self")
        self.attachment = Attachment(
            application=self.application,
            kind=Attachment.Kind.PLAN,
            original_name="계획서.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=resident,
        )
        self.attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        self.application.status = Application.Status.IN_REVIEW
        self.application.submitted_at = timezone.now()
        self.application.save()
        self.other_application = ApplicationFactory(
            group=self.other_group, round=self.round, field=self.field, title="달빛 공부방"
        )
        self.criterion = CriterionFactory(round=self.round)
        from grants import services as grant_services
        from grants.models import Consent

        for kind in Consent.Kind:  # every consent given, the committee's (third party) included
            Consent.objects.create(application=self.application, kind=kind, granted=True, text_version="2026-1")
        # The reviewer reads only the applications assigned to them while in review.
        grant_services.reviewers_assign(reviewer=reviewer, applications=[self.application], by=staff)
        ReviewFactory(application=self.application, reviewer=reviewer)

        self.assignment = AssignmentFactory(mentor=mentor.mentor_profile, group=self.group, round=self.round)
        AssignmentFactory(mentor=other_mentor.mentor_profile, group=self.other_group, round=self.round)
        AssignmentChange.objects.create(
            group=self.group,
            round=self.round,
            to_mentor=mentor.mentor_profile,
            by=staff,
            reason=AssignmentChange.Reason.choices[0][0],
        )
        self.visit = CoachingVisitFactory(mentor=mentor.mentor_profile, group=self.group)
        self.follow_up = FollowUpFactory(visit=self.visit)
        self.photo = VisitPhoto(visit=self.visit, original_name="a.png", content_type="image/png", size=4)
        self.photo.file.save("a.png", ContentFile(b"\x89PNG"), save=True)
        self.session = EducationSessionFactory(mentor=mentor.mentor_profile)
        SessionInvitationFactory(session=self.session, group=self.group)

        self.network = Network.objects.get(dong=dong)
        self.regional = Network.objects.filter(kind=Network.Kind.REGIONAL, region=region).first()
        if self.regional is None:
            self.regional = RegionalNetworkFactory(region=region, district=region.district)
        self.network.coordinators.add(resident)
        self.forum = ForumFactory(network=self.network, title="봄 공론장")
        self.registration = ForumRegistrationFactory(forum=self.forum, group=self.group, user=resident)
        self.decision = DecisionFactory(forum=self.forum)
        self.membership = NetworkMembership.objects.filter(group=self.group).first()

        self.export_job = ExportJob.objects.create(requested_by=staff, status=ExportJob.Status.DONE)
        self.export_job.file.save("export.csv", ContentFile(b"a,b\n"), save=True)
        self.email = Email.objects.create(
            recipient=resident.email, kind="receipt", subject="접수", body_text="본문", dedup_key="matrix"
        )
        EmailPreference.objects.create(user=resident, kind="draft_deadline", enabled=False)
        self.unsubscribe_token = unsubscribe_token(user_id=resident.pk, kind="documents_missing")
        self.reset_uid = urlsafe_base64_encode(force_bytes(resident.pk))
        self.reset_token = default_token_generator.make_token(resident)
        access_record(user=staff, action=AccessLog.Action.VIEW, subject=self.application, person=resident)
        from notifications.models import ChannelPreference

        ChannelPreference.objects.create(user=resident)
        # A funded project of the resident's group (a 2025 round), under way, with one expense and
        # its evidence, reached through the services as the portal reaches it.
        from grants.tests.conftest import tiny_pdf
        from projects import services as project_services
        from projects.tests.helpers import TODAY, active_project, pay

        self.project = active_project(staff=staff, group=self.group)
        pay(self.project, 500_000, staff)
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.expense = project_services.expense_record(
            project=self.project,
            by=resident,
            evidence=SimpleUploadedFile("receipt.pdf", tiny_pdf(), content_type="application/pdf"),
            spent_on=TODAY,
            category=project_services.categories_for(self.project.application.round)["activity"],
            source="subsidy",
            payee="동네문구",
            purpose="색지",
            amount=30_000,
        )
        # Privacy (issue 11): a policy in force, a request of the resident, a destruction record.
        from accounts.models import DestructionRecord, PrivacyPolicy, PrivacyRequest, RetentionRule

        self.policy = PrivacyPolicy.objects.order_by("pk").first() or PrivacyPolicy.objects.create(
            version="2026-1",
            effective_on=timezone.localdate(),
            collected="이름, 연락처",
            purposes="공모사업 운영",
            recipients="없음",
            rights="열람, 정정, 삭제, 처리정지",
            officer_name="개인정보 보호책임자",
            officer_phone="062-360-7000",
            officer_email="privacy@example.com",
        )
        PrivacyRequest.objects.create(user=resident, kind="correction", message="전화번호", due_on=timezone.localdate())
        rule = RetentionRule.objects.order_by("pk").first() or RetentionRule.objects.create(
            kind="access_log", period_days=730
        )
        DestructionRecord.objects.create(
            rule=rule,
            kind_label=str(rule),
            method="delete",
            count=0,
            period_days=rule.period_days,
            cutoff=timezone.now(),
        )
        # The project's interim report (issue 14), drafted by the representative.
        from projects.reports import report_save

        self.report = report_save(project=self.project, kind="interim", by=resident, done_against_plan="화단 조성")
        # django-celery-beat's schedules, so each admin page of theirs has a row to open.
        from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, SolarSchedule

        ClockedSchedule.objects.create(clocked_time=timezone.now())
        CrontabSchedule.objects.get_or_create(minute="0", hour="6")
        IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
        SolarSchedule.objects.create(event="sunrise", latitude=35.15, longitude=126.85)

    # --- building URLs -----------------------------------------------------------------------

    def admin_object(self, model):
        """One real row of a model registered in the admin."""
        instance = model._default_manager.order_by("pk").first()
        if instance is None:
            raise AssertionError(
                f"The permission world has no {model._meta.label}: add one in tests/permission_world.py"
            )
        return instance

    def kwargs(self, route: Route) -> dict:
        """Real ids for each URL parameter of ``route``."""
        named = {
            "networks:detail": {"pk": self.network.pk},
            "networks:calendar": {"pk": self.network.pk},
            "networks:members": {"pk": self.regional.pk},
            "networks:member_remove": {"pk": self.regional.pk, "group_pk": self.group.pk},
            "networks:forum_create": {"pk": self.network.pk},
            "networks:forum": {"pk": self.forum.pk},
            "networks:forum_calendar": {"pk": self.forum.pk},
            "networks:forum_edit": {"pk": self.forum.pk},
            "networks:forum_record": {"pk": self.forum.pk},
            "networks:forum_register": {"pk": self.forum.pk},
            "networks:decision_create": {"pk": self.forum.pk},
            "networks:decision_done": {"pk": self.decision.pk},
            "networks:registration_cancel": {"pk": self.registration.pk},
            "networks:group": {"pk": self.group.pk},
            "mentors:group": {"group_id": self.group.pk},
            "mentors:visit_create": {"group_id": self.group.pk},
            "mentors:visit_edit": {"visit_id": self.visit.pk},
            "mentors:follow_up_done": {"follow_up_id": self.follow_up.pk},
            "mentors:photo": {"photo_id": self.photo.pk},
            "mentors:session": {"session_id": self.session.pk},
            "mentors:group_visits_for_resident": {"group_id": self.group.pk},
            "notifications:unsubscribe": {"token": self.unsubscribe_token},
            "grants:round_results": {"pk": self.closed_round.pk},
            "grants:start_application": {"round_pk": self.round.pk},
            "grants:delete_attachment": {"pk": self.application.pk, "attachment_pk": self.attachment.pk},
            "grants:download_attachment": {"pk": self.application.pk, "attachment_pk": self.attachment.pk},
            "password_reset_confirm": {"uidb64": self.reset_uid, "token": self.reset_token},
            "admin:grants_attachment_download": {"attachment_id": self.attachment.pk},
            "admin:grants_application_decide": {"object_id": self.application.pk, "action": "approve"},
            "admin:grants_application_eligibility": {"object_id": self.application.pk},
            "admin:grants_application_score": {"object_id": self.application.pk},
            "admin:grants_exportjob_download": {"job_id": self.export_job.pk},
            "admin:view_on_site": {
                "content_type_id": str(
                    apps.get_model("contenttypes", "ContentType").objects.get_for_model(self.group).pk
                ),
                "object_id": str(self.group.pk),
            },
            "admin:app_list": {"app_label": "grants"},
            "projects:expense_edit": {"pk": self.project.pk, "expense_pk": self.expense.pk},
            "projects:expense_delete": {"pk": self.project.pk, "expense_pk": self.expense.pk},
            "projects:evidence": {"pk": self.project.pk, "expense_pk": self.expense.pk},
            "admin:grants_grantround_publish": {"object_id": self.closed_round.pk},
            "admin:projects_project_act": {"object_id": self.project.pk, "action": "plan"},
            "admin:projects_project_account": {"object_id": self.project.pk},
            "admin:projects_project_settlement_export": {"object_id": self.project.pk, "export_format": "xlsx"},
            "projects:report": {"pk": self.project.pk, "kind": "interim"},
            "grants:letter": {"pk": self.application.pk, "kind": "receipt"},
            "admin:grants_application_letter": {"object_id": self.application.pk, "kind": "receipt"},
            "privacy_version": {"version": self.policy.version},
            "admin:projects_project_summary_export": {
                "round_id": self.project.application.round_id,
                "export_format": "xlsx",
            },
        }
        if route.name in named:
            return named[route.name]
        if route.name and route.name.startswith("projects:") and "pk" in route.converters:
            return {"pk": self.project.pk}
        if route.name and route.name.startswith("grants:") and "pk" in route.converters:
            return {"pk": self.application.pk}
        model = admin_model_of(route)
        if model is not None and "object_id" in route.pattern.pattern.converters | {
            k: None for k in _regex_groups(route)
        }:
            return {"object_id": str(self.admin_object(model).pk)}
        if route.name == "admin:auth_user_password_change" or (route.name or "").endswith("_password_change"):
            return {"id": str(self.users["resident"].pk)}
        return {}


def url_for(world: World, route: Route) -> str:
    """The URL of ``route`` with real ids: reversed by name, or filled in by hand for the admin's
    unnamed patterns (the old ``<object_id>/`` redirect and the catch-all)."""
    from django.urls import reverse

    if route.name:
        return reverse(route.name, kwargs=world.kwargs(route))
    if route.route.endswith("<path:object_id>/"):
        model = admin_model_of(route)
        return "/" + route.route.replace("<path:object_id>", str(world.admin_object(model).pk))
    if route.route == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    raise AssertionError(f"No way to build {route.route!r}: name it, or teach tests/permission_world.url_for")


def _regex_groups(route: Route) -> dict:
    regex = getattr(route.pattern.pattern, "regex", None)
    return dict(regex.groupindex) if regex is not None else {}


def admin_model_of(route: Route):
    """The model of an admin URL (``admin:<app>_<model>_<view>`` or an unnamed
    ``admin/<app>/<model>/<object_id>/`` redirect), or None."""
    parts = route.route.split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    for model in admin.site._registry:
        if parts[1] == model._meta.app_label and parts[2] == model._meta.model_name:
            return model
    return None
