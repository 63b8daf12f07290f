"""Many staff approving at once against real PostgreSQL: the budget is never overspent."""

import threading
from functools import partial

import pytest
from django.db import connection
from django.db.models import Sum

from grants import services, workflow
from grants.models import Application, FieldEnvelope, GrantRound, StatusChange
from grants.tests.helpers import in_review_applications
from tests.factories import FieldEnvelopeFactory, FieldFactory, GrantRoundFactory

THREADS = 30
AMOUNT = 1_000_000
LEFT = 10_500_000


def run_at_once(calls):
    """Run each call in its own thread, all released together; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an approval thread hung (deadlock?)"
    return results


def approved_sum(round_) -> int:
    return (
        Application.objects.filter(round=round_, status=workflow.APPROVED).aggregate(total=Sum("awarded_amount"))[
            "total"
        ]
        or 0
    )


@pytest.mark.django_db(transaction=True)
def test_thirty_staff_approving_at_once_cannot_overspend_the_round(staff):
    round_ = GrantRoundFactory(budget=LEFT)
    field = FieldFactory()
    FieldEnvelopeFactory(round=round_, field=field, amount=None)
    applications = in_review_applications(round_=round_, field=field, count=THREADS, requested=AMOUNT)

    results = run_at_once(
        [partial(services.application_approve, application=a, amount=AMOUNT, by=staff) for a in applications]
    )

    approved = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, services.BudgetExceeded)]
    assert len(approved) == 10, results
    assert len(refused) == 20, results
    assert all(error.code == "round_budget_exceeded" for error in refused)
    round_.refresh_from_db()
    assert round_.awarded_total == 10 * AMOUNT == approved_sum(round_)
    assert round_.awarded_total <= round_.budget
    assert FieldEnvelope.objects.get(round=round_, field=field).awarded_total == 10 * AMOUNT
    assert StatusChange.objects.filter(application__round=round_, to_status=workflow.APPROVED).count() == 10
    assert Application.objects.filter(round=round_, status=workflow.IN_REVIEW).count() == 20


@pytest.mark.django_db(transaction=True)
def test_thirty_staff_approving_at_once_cannot_overspend_a_field_envelope(staff):
    round_ = GrantRoundFactory(budget=100_000_000)
    field = FieldFactory()
    FieldEnvelopeFactory(round=round_, field=field, amount=LEFT)
    applications = in_review_applications(round_=round_, field=field, count=THREADS, requested=AMOUNT)

    results = run_at_once(
        [partial(services.application_approve, application=a, amount=AMOUNT, by=staff) for a in applications]
    )

    approved = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, services.BudgetExceeded)]
    assert len(approved) == 10, results
    assert len(refused) == 20, results
    assert all(error.code == "envelope_exceeded" for error in refused)
    envelope = FieldEnvelope.objects.get(round=round_, field=field)
    assert envelope.awarded_total == 10 * AMOUNT == approved_sum(round_)
    # A refused envelope reservation rolls back the round's reservation too.
    assert GrantRound.objects.get(pk=round_.pk).awarded_total == 10 * AMOUNT


@pytest.mark.django_db(transaction=True)
def test_two_bulk_approvals_at_once_cannot_overspend_and_report_each_refusal(staff, django_user_model):
    other_staff = django_user_model.objects.create_superuser(email="staff2@example.com", name="두번째", password="x")
    round_ = GrantRoundFactory(budget=LEFT)
    field = FieldFactory()
    FieldEnvelopeFactory(round=round_, field=field, amount=None)
    applications = in_review_applications(round_=round_, field=field, count=THREADS, requested=AMOUNT)

    runs = run_at_once(
        [
            partial(services.applications_approve_bulk, awards=[(a, AMOUNT) for a in applications], by=staff),
            partial(
                services.applications_approve_bulk,
                awards=[(a, AMOUNT) for a in reversed(applications)],
                by=other_staff,
            ),
        ]
    )

    assert all(isinstance(run, list) and len(run) == THREADS for run in runs), runs
    approvals = [app for run in runs for app, error in run if error is None]
    refusals = [error for run in runs for _app, error in run if error is not None]
    assert len(approvals) == 10
    assert len({a.pk for a in approvals}) == 10, "an application was approved twice"
    assert len(refusals) == 2 * THREADS - 10
    assert all(error for error in refusals)  # each refusal says why
    round_.refresh_from_db()
    assert round_.awarded_total == 10 * AMOUNT == approved_sum(round_)
