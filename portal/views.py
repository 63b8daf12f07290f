import logging

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health
from portal.errors import explanation_of

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 while the database and Redis answer; the worker's state is reported, not required."""
    status = health.report()
    healthy = status["database"] == health.OK and status["redis"] == health.OK
    return JsonResponse(status, status=200 if healthy else 503)


# --- Friendly error pages (handler403/404/500 in portal.urls) ---------------------------


def permission_denied(request, exception=None):
    context = {"status": 403, **explanation_of(exception)}
    return render(request, "403.html", context, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form's security check failed (its cookie was cleared or the page is
    very old). Nothing was saved; say so, and how to send it again without losing the text."""
    context = {
        "status": 403,
        "explanation": _(
            "For your safety this form had expired, so it was not sent. Go back to the form, copy any long "
            "text you typed, reload the page, then paste the text and send it again."
        ),
        "next_url": request.META.get("HTTP_REFERER", "") if _same_site(request) else "",
        "next_label": _("Back to the form"),
    }
    return render(request, "403.html", context, status=403)


def _same_site(request) -> bool:
    referer = request.META.get("HTTP_REFERER", "")
    return bool(referer) and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())


def page_not_found(request, exception=None):
    context = {"status": 404, **explanation_of(exception)}
    return render(request, "404.html", context, status=404)


def server_error(request):
    """The 500 page in the portal's own look. Something is already broken, so if the full page
    (context processors, the menu, the user) cannot be drawn, draw it without them."""
    try:
        return render(request, "500.html", {"status": 500}, status=500)
    except Exception:  # the error page must never fail
        logger.exception("the full 500 page failed; falling back to the bare one")
        context = {"status": 500, "bare": True, "support_contact": settings.SUPPORT_CONTACT}
        body = loader.get_template("500.html").render(context)
        return HttpResponseServerError(body)
