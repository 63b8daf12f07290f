"""Signals ``grants`` sends for the apps above it (``projects``, ``mentors``).

``grants`` never imports a higher app; a higher app connects a receiver in its
``AppConfig.ready()``.

decision_released(sender=Application, application=..., by=...)
    Sent once per decided application when its decision becomes visible to the
    resident: for every decided application of a round when staff publish the round's
    results (``grants.services.round_publish_results``), and for a decision taken
    after publication (for example an approval from the ranked list when money came
    back) at the moment it is taken. Sent inside the deciding transaction, so a
    receiver's writes (``projects`` opens the funded project) commit or roll back with
    it. Receivers must be idempotent and check ``application.status`` themselves: the
    signal is sent for rejections too.
"""

from django.dispatch import Signal

decision_released = Signal()
