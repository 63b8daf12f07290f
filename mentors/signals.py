"""Keep what the mentor pages sort by in step with the visits (``Assignment.last_visit_on``).

A receiver rather than a call in each service: the admin can edit and delete visits too, and
the stored date must follow every one of those writes. Bulk loads (``bulk_create``) send no
signals; they call ``mentors.services.refresh_last_visits`` themselves.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mentors.models import CoachingVisit


@receiver(post_save, sender=CoachingVisit, dispatch_uid="mentors_visit_saved")
@receiver(post_delete, sender=CoachingVisit, dispatch_uid="mentors_visit_deleted")
def _visit_changed(sender, instance, **kwargs):
    from mentors.services import refresh_last_visits

    refresh_last_visits(group_ids=[instance.group_id])
