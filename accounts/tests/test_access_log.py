"""The portal's one access log (accounts.AccessLog) and the move of the old grants log into it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from accounts.models import AccessLog
from accounts.services import access_record, access_record_many
from tests.factories import ApplicationFactory, CommunityGroupFactory, UserFactory


@pytest.mark.django_db
def test_a_read_is_recorded_with_its_subject_and_the_person_it_is_about(staff, resident):
    group = resident.represented_groups.get()

    row = access_record(user=staff, action=AccessLog.Action.VIEW, subject=group, person=resident, detail="x" * 900)

    row.refresh_from_db()
    assert (row.user, row.person, row.subject, row.subject_label) == (staff, resident, group, group.name)
    assert len(row.detail) == 500
    with translation.override("en"):
        assert row.get_action_display() == "Viewed"
    with translation.override("ko"):
        assert row.get_action_display() == "열람"


@pytest.mark.django_db
def test_the_label_survives_when_the_subject_is_destroyed(staff):
    group = CommunityGroupFactory(name="사라질공동체")
    access_record(user=staff, action=AccessLog.Action.VIEW, subject=group, person=group.representative_id)
    group.delete()

    row = AccessLog.objects.get()
    assert row.subject is None
    assert row.subject_label == "사라질공동체"
    assert row.person_id is not None


@pytest.mark.django_db
def test_a_list_page_is_recorded_in_one_insert(staff, django_assert_num_queries):
    applications = [ApplicationFactory() for _ in range(4)]
    entries = [(a, a.group.representative_id) for a in applications]
    access_record(user=staff, action=AccessLog.Action.LIST, subject=applications[0])  # warm the type cache

    with django_assert_num_queries(1):
        access_record_many(user=staff, action=AccessLog.Action.LIST, entries=entries, detail="/admin/")

    assert set(AccessLog.objects.filter(detail="/admin/").values_list("subject_id", "person_id")) == {
        (a.pk, a.group.representative_id) for a in applications
    }


@pytest.mark.django_db
def test_a_subject_needs_both_its_kind_and_its_number(staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(user=staff, action=AccessLog.Action.VIEW, subject_id=3)


@pytest.mark.django_db
def test_the_admin_shows_the_log_but_nobody_can_change_it(client, staff):
    row = access_record(user=staff, action=AccessLog.Action.VIEW, subject=CommunityGroupFactory())
    client.force_login(staff)

    assert client.get("/admin/accounts/accesslog/").status_code == 200
    assert client.get(f"/admin/accounts/accesslog/{row.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/accesslog/add/").status_code == 403
    with pytest.raises(ValidationError):
        AccessLog(user=staff, action="peeked").full_clean()


def _old_group_and_round(old_apps, *, representative):
    """A group and a round written through the old state's models (later migrations add
    columns, such as the committee's minimum reviews, that factories would insert into)."""
    now = timezone.now()
    district = old_apps.get_model("networks", "District").objects.create(
        name="서구", city="광주광역시", code="old-seogu"
    )
    dong = old_apps.get_model("networks", "Dong").objects.create(district_id=district.pk, name="농성1동", code="OLD1")
    group = old_apps.get_model("networks", "CommunityGroup").objects.create(
        name="햇살 모임", dong_id=dong.pk, representative_id=representative.pk, member_count=8
    )
    round_ = old_apps.get_model("grants", "GrantRound").objects.create(
        district_id=district.pk,
        year=2026,
        title="2026 공모",
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10),
        budget=1_000_000,
    )
    return group, round_


@pytest.mark.django_db(transaction=True)
def test_the_old_grants_log_is_copied_into_the_one_log():
    before = [("grants", "0004_results_published")]
    after = [("grants", "0005_access_log_moved_to_accounts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldLog = old_apps.get_model("grants", "AccessLog")
        # Rows written through the old state's model: later migrations add columns (issue 11a's
        # submission snapshot) that the current model, and so a factory, would insert into.
        reader = UserFactory(is_staff=True)
        group, round_ = _old_group_and_round(old_apps, representative=reader)
        application = old_apps.get_model("grants", "Application").objects.create(
            group_id=group.pk, round_id=round_.pk, title="골목 화단"
        )
        OldLog.objects.create(user_id=reader.pk, application_id=application.pk, action="download", detail="a.pdf")
        OldLog.objects.create(user_id=reader.pk, application_id=None, action="export", detail="12 applications")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    rows = list(
        AccessLog.objects.order_by("id").values_list(
            "user", "action", "subject_type__model", "subject_id", "subject_label", "person", "detail"
        )
    )
    assert rows == [
        (
            reader.pk,
            "download",
            "application",
            application.pk,
            "골목 화단",
            group.representative_id,
            "a.pdf",
        ),
        (reader.pk, "export", None, None, "", None, "12 applications"),
    ]


# --- every read of personal data in the admin, and the search page --------------------


@pytest.mark.django_db
def test_the_application_list_logs_each_application_shown_with_its_representative(client, staff):
    applications = [ApplicationFactory() for _ in range(3)]
    client.force_login(staff)

    assert client.get("/admin/grants/application/").status_code == 200

    listed = set(AccessLog.objects.filter(action=AccessLog.Action.LIST).values_list("user", "subject_id", "person"))
    assert listed == {(staff.pk, a.pk, a.group.representative_id) for a in applications}


@pytest.mark.django_db
def test_opening_a_group_in_the_admin_and_the_user_list_are_logged(client, staff, resident):
    group = resident.represented_groups.get()
    client.force_login(staff)

    assert client.get(f"/admin/networks/communitygroup/{group.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200

    view = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (view.user, view.subject, view.person) == (staff, group, resident)
    assert AccessLog.objects.filter(action=AccessLog.Action.LIST, subject_type__model="user", person=resident).exists()


@pytest.mark.django_db
def test_staff_search_the_log_by_person_and_by_staff_member(client, staff):
    kim, park = UserFactory(name="김민지"), UserFactory(name="박서준")
    clerk = UserFactory(name="이주무관", email="clerk@example.com", is_staff=True)
    access_record(user=clerk, action=AccessLog.Action.VIEW, subject=kim, person=kim, detail="row-clerk-kim")
    access_record(user=clerk, action=AccessLog.Action.VIEW, subject=park, person=park, detail="row-clerk-park")
    access_record(user=staff, action=AccessLog.Action.VIEW, subject=kim, person=kim, detail="row-staff-kim")
    client.force_login(staff)

    def shown(query):
        page = client.get("/admin/accounts/accesslog/", query).content.decode()
        return {d for d in ("row-clerk-kim", "row-clerk-park", "row-staff-kim") if d in page}

    assert shown({"person": "민지"}) == {"row-clerk-kim", "row-staff-kim"}
    assert shown({"reader": "CLERK@example"}) == {"row-clerk-kim", "row-clerk-park"}
    assert shown({"person": "김민지", "reader": "이주무관"}) == {"row-clerk-kim"}
    page = client.get("/admin/accounts/accesslog/", {"person": "김민지"}).content.decode()
    assert 'data-testid="access-log-reader"' in page
    assert 'type="hidden" name="person" value="김민지"' in page  # the other search keeps this one
