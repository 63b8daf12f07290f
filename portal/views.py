from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health


@never_cache
@require_GET
def healthz(request):
    """200 while the database and Redis answer; the worker's state is reported, not required."""
    status = health.report()
    healthy = status["database"] == health.OK and status["redis"] == health.OK
    return JsonResponse(status, status=200 if healthy else 503)
