from celery import shared_task

from grants import services


@shared_task(acks_late=True)
def build_export(job_id: int) -> str:
    """Build a queued export (see ``grants.services.export_build``)."""
    return services.export_build(job_id=job_id)
