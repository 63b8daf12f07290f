import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from accounts.models import User
from networks import services
from networks.models import ForumRegistration, Network
from networks.tests.factories import DecisionFactory, ForumRegistrationFactory, PastForumFactory
from tests.factories import CommunityGroupFactory, ForumFactory


@pytest.mark.django_db
def test_a_resident_registers_for_a_forum_on_behalf_of_her_group(resident):
    forum = ForumFactory()
    group = resident.represented_groups.get()
    registration = services.register(forum=forum, user=resident, group=group)
    assert registration.group == group
    assert forum.registrations.filter(cancelled_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_resident_cannot_register_on_behalf_of_someone_elses_group(resident, other_resident):
    with pytest.raises(ValidationError):
        services.register(forum=ForumFactory(), user=resident, group=other_resident.represented_groups.get())


@pytest.mark.django_db
def test_a_members_only_forum_takes_only_member_groups(resident, other_resident):
    member_group = resident.represented_groups.get()
    forum = ForumFactory(network=Network.objects.get(dong=member_group.dong), open_to_all=False)
    with pytest.raises(ValidationError):
        services.register(forum=forum, user=other_resident, group=other_resident.represented_groups.get())
    with pytest.raises(ValidationError):
        services.register(forum=forum, user=resident)
    assert services.register(forum=forum, user=resident, group=member_group).group == member_group


@pytest.mark.django_db
def test_a_resident_cannot_register_twice(resident):
    forum = ForumFactory()
    services.register(forum=forum, user=resident)
    with pytest.raises(services.AlreadyRegistered):
        services.register(forum=forum, user=resident)


@pytest.mark.django_db
def test_a_full_forum_refuses_with_a_translated_full_error(resident, other_resident):
    forum = ForumFactory(capacity=1)
    services.register(forum=forum, user=resident)
    with pytest.raises(services.ForumFull) as raised:
        services.register(forum=forum, user=other_resident)
    assert isinstance(raised.value, ValidationError)
    with translation.override("en"):
        assert "full" in raised.value.messages[0]


@pytest.mark.django_db
def test_cancelling_frees_the_place_and_keeps_the_row(resident, other_resident):
    forum = ForumFactory(capacity=1)
    registration = services.register(forum=forum, user=resident)
    services.cancel_registration(registration=registration)
    services.register(forum=forum, user=other_resident)
    # and the resident may come back once a place is free again
    assert ForumRegistration.objects.filter(forum=forum).count() == 2


@pytest.mark.django_db
def test_registration_closes_when_the_forum_starts(resident):
    with pytest.raises(services.RegistrationClosed):
        services.register(forum=PastForumFactory(), user=resident)


@pytest.mark.django_db
def test_outcome_is_recorded_only_after_the_forum_started():
    with pytest.raises(services.ForumNotStarted):
        services.record_outcome(forum=ForumFactory(), attended_ids=[], walk_in_count=0, minutes="")
    with pytest.raises(services.ForumNotStarted):
        services.add_decision(forum=ForumFactory(), text="화단 만들기")


@pytest.mark.django_db
def test_recording_attendance_marks_present_and_absent():
    forum = ForumFactory()
    came, missed = ForumRegistrationFactory(forum=forum), ForumRegistrationFactory(forum=forum)
    forum.starts_at = timezone.now() - datetime.timedelta(hours=2)
    forum.save()
    services.record_outcome(forum=forum, attended_ids=[came.pk], walk_in_count=3, minutes="회의록")
    came.refresh_from_db()
    missed.refresh_from_db()
    forum.refresh_from_db()
    assert (came.attended, missed.attended, forum.walk_in_count, forum.minutes) == (True, False, 3, "회의록")
    assert forum.attendance_recorded_at is not None


@pytest.mark.django_db
def test_capacity_cannot_be_lowered_below_the_places_taken(resident, other_resident):
    forum = ForumFactory(capacity=5)
    services.register(forum=forum, user=resident)
    services.register(forum=forum, user=other_resident)
    with pytest.raises(ValidationError):
        services.update_forum(forum=forum, capacity=1)
    assert services.update_forum(forum=forum, capacity=2).capacity == 2


@pytest.mark.django_db
def test_a_decision_is_followed_up_until_done_and_can_be_reopened():
    decision = DecisionFactory()
    assert services.set_decision_done(decision=decision).done_at is not None
    assert services.set_decision_done(decision=decision, done=False).done_at is None


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_never_exceed_a_capacity_of_twenty():
    forum = ForumFactory(capacity=20)
    # bulk_create: password hashing for fifty users would dominate the test's time
    users = User.objects.bulk_create([User(email=f"crowd{n}@example.com", name=f"주민{n}") for n in range(50)])
    groups = {user.pk: CommunityGroupFactory(representative=user) for user in users[:10]}
    barrier = threading.Barrier(len(users))
    outcomes, lock = [], threading.Lock()

    def attempt(user):
        try:
            barrier.wait()
            services.register(forum=forum, user=user, group=groups.get(user.pk))
            result = "ok"
        except services.ForumFull:
            result = "full"
        except Exception as error:  # any other failure shows in the assertion
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(set(outcomes)) == ["full", "ok"], outcomes
    assert outcomes.count("ok") == 20
    assert outcomes.count("full") == 30
    assert ForumRegistration.objects.filter(forum=forum, cancelled_at__isnull=True).count() == 20
