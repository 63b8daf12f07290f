"""Query parameters checked before a view or the admin runs a query with them.

A NUL byte cannot reach PostgreSQL (psycopg raises, the page answered 500), an id that is not a
number made the export fail, and a search of 2,000 words took 15 seconds. Every request's query
string is checked once, by ``BadParametersMiddleware``; the application export checks the
filters it is posted through ``check_query_params`` too. The answer is 400 with a message.
"""

import re
import unicodedata

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

MAX_SEARCH_TERMS = 10
MAX_SEARCH_LENGTH = 200
SEARCH_PARAM = "q"
# Admin filters on a key (``round__id__exact``, ``group__dong__id__exact``) and plain ids.
_ID_KEY = re.compile(r"(^|__)(id|pk)(__exact)?$|_id(__exact)?$")


class BadParameters(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(character) == "Cc" and character not in "\t" for character in value)


def _whole_numbers(value: str) -> bool:
    """An id filter's value: one id, or several comma-separated (the admin's ``__in``)."""
    return all(part.isascii() and part.isdigit() for part in value.split(","))


def search_terms(value: str) -> list[str]:
    """The words of a search box, at most MAX_SEARCH_TERMS; raises BadParameters otherwise."""
    value = value or ""
    if len(value) > MAX_SEARCH_LENGTH or len(value.split()) > MAX_SEARCH_TERMS:
        raise BadParameters(
            _("Search with at most %(terms)s words (%(length)s characters).")
            % {"terms": MAX_SEARCH_TERMS, "length": MAX_SEARCH_LENGTH}
        )
    return value.split()


def check_query_params(params) -> None:
    """Raise BadParameters when a parameter holds a control character (NUL …), an id filter
    is not a whole number, or the search is too long."""
    for key in params:
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        for value in values:
            if _has_control_characters(key) or _has_control_characters(value):
                raise BadParameters(_("The address contains characters that cannot be searched for. Remove them."))
            if (
                _ID_KEY.search(key)
                and value
                and not all(part.isascii() and part.isdigit() for part in value.split(","))
            ):
                raise BadParameters(
                    _("A filter in the address is not valid (%(name)s). Choose it again from the list.")
                    % {"name": key[:50]}
                )
    if SEARCH_PARAM in params:
        search_terms(params.get(SEARCH_PARAM))


def bad_parameters_response(request, error: BadParameters) -> TemplateResponse:
    template = "admin/bad_parameters.html" if request.path.startswith("/admin/") else "bad_parameters.html"
    return TemplateResponse(request, template, {"message": error.message, "title": _("Bad request")}, status=400)


class BadParametersMiddleware:
    """Answer 400 with a message, before any view runs, for a query string no page can use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_query_params(request.GET)
        except BadParameters as error:
            return bad_parameters_response(request, error).render()
        return self.get_response(request)
