"""Retention and destruction of personal data (PIPA §21).

Each app registers the kinds of personal data it holds in its ``AppConfig.ready()``:

    from accounts import retention
    retention.register(retention.Kind(
        key="grants.applications", label=_("…"), method=RetentionRule.Method.ANONYMISE,
        default_days=5 * 365, minimum_days=0, basis=_("…"), handler=grants.retention.anonymise_applications,
    ))

``handler(cutoff) -> int`` destroys or anonymises what is older than ``cutoff`` (each kind says
what "older" means: a row's time, a round's end…) and returns how many records it touched. The
period itself is data: ``RetentionRule`` rows (one per kind, created after ``migrate`` with the
default, editable by staff, never below ``minimum_days``). ``apply_all`` runs every rule, each
in its own transaction, and writes one ``DestructionRecord`` per rule that touched anything.
The Celery task ``accounts.tasks.apply_retention`` runs it daily (django-celery-beat).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    method: str  # RetentionRule.Method
    default_days: int
    handler: Callable[[datetime.datetime], int]
    basis: str = ""
    minimum_days: int = 0


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.key] = kind


def ensure_rules(**_signal_kwargs) -> None:
    """Create the missing rule of each registered kind with its default period (idempotent;
    a period staff changed is kept). Runs after every ``migrate``."""
    from accounts.models import RetentionRule

    for kind in KINDS.values():
        RetentionRule.objects.get_or_create(
            kind=kind.key, defaults={"period_days": kind.default_days, "basis": str(kind.basis)[:300]}
        )


def apply_all(*, now=None, by=None) -> list:
    """Apply every rule; return the destruction records written."""
    from accounts.models import DestructionRecord, RetentionRule

    now = now or timezone.now()
    ensure_rules()
    records = []
    for rule in RetentionRule.objects.order_by("kind"):
        kind = KINDS.get(rule.kind)
        if kind is None:
            continue
        period = max(rule.period_days, kind.minimum_days)
        cutoff = now - datetime.timedelta(days=period)
        with transaction.atomic():
            count = kind.handler(cutoff)
            if count:
                records.append(
                    DestructionRecord.objects.create(
                        rule=rule,
                        kind_label=str(kind.label)[:200],
                        method=kind.method,
                        count=count,
                        period_days=period,
                        cutoff=cutoff,
                        at=now,
                        by=by,
                    )
                )
    return records


# --- accounts' own kinds ---------------------------------------------------------------------

ACCESS_LOG_MINIMUM_DAYS = 730  # the 2023 safety-measures notice: at least two years


def _delete_access_log(cutoff) -> int:
    from accounts.models import AccessLog

    return AccessLog.objects.filter(at__lt=cutoff).delete()[0]


def _delete_login_attempts(cutoff) -> int:
    from accounts.models import LoginAttempt

    return LoginAttempt.objects.filter(at__lt=cutoff).delete()[0]


def register_accounts_kinds() -> None:
    from django.utils.translation import gettext_lazy as _

    from accounts.models import RetentionRule

    register(
        Kind(
            key="accounts.access_log",
            label=_("Access log (who read whose data)"),
            method=RetentionRule.Method.DELETE,
            default_days=ACCESS_LOG_MINIMUM_DAYS,
            minimum_days=ACCESS_LOG_MINIMUM_DAYS,
            basis=_("Kept at least two years (personal information safety measures, 2023)."),
            handler=_delete_access_log,
        )
    )
    register(
        Kind(
            key="accounts.login_attempts",
            label=_("Login attempts (address and IP)"),
            method=RetentionRule.Method.DELETE,
            default_days=365,
            basis=_("Kept one year to investigate break-in attempts."),
            handler=_delete_login_attempts,
        )
    )
