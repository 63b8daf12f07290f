"""Receivers of the signals ``grants`` sends (``grants/signals.py``)."""

from grants import workflow


def open_project_on_release(sender, application, by=None, **kwargs):
    """Open the funded project when an approval becomes visible; idempotent, same transaction."""
    if application.status != workflow.APPROVED or application.awarded_amount is None:
        return
    from projects import services

    services.project_open(application=application, by=by)
