"""Refusals that tell the person why and what to do instead, shown on the friendly error pages.

    raise Refused(_("…why…"), next_url=reverse("mentors:group", args=[group.pk]), next_label=_("Back to the group"))

``Refused`` is a ``PermissionDenied`` (403) and ``NotFound`` an ``Http404`` (404): code that catches
those keeps working. The handlers in ``portal.views`` render ``403.html``/``404.html`` with the
explanation and the link; any other 403 or 404 gets the general words of the same pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class _Explained:
    def __init__(self, explanation, *, next_url: str = "", next_label=""):
        super().__init__(explanation)
        self.explanation = explanation
        self.next_url = next_url
        self.next_label = next_label


class Refused(_Explained, PermissionDenied):
    """403 with an explanation written for the person who sees it."""


class NotFound(_Explained, Http404):
    """404 with an explanation written for the person who sees it."""


def explanation_of(exception) -> dict:
    """The template context an explained refusal carries (empty for any other exception)."""
    if isinstance(exception, _Explained):
        return {
            "explanation": exception.explanation,
            "next_url": exception.next_url,
            "next_label": exception.next_label,
        }
    return {}
