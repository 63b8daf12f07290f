"""The portal's URLs plus three views that fail on purpose, to see the error pages as people do."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from portal.urls import handler403, handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/forbidden/", forbidden),
    path("test-errors/broken/", broken),
    *portal_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def broken_context_processor(request):
    """A context processor that fails, as when the database is down mid-page."""
    raise RuntimeError("the database went away")
