"""The portal's URLs plus the bench's bare reference view (``portal.settings_bench`` only)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """One ``SELECT 1`` and a tiny response: the practical limit of this stack on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare), *portal_urlpatterns]
