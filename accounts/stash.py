"""A session that ends mid-form keeps what was typed.

When someone whose login has ended (the session expired, or its cookie is gone) sends a form, the
view's ``login_required`` answers with a redirect to the login page and the text would be lost.
``FormStashMiddleware`` sees that redirect, keeps the submitted fields in the (new, anonymous)
session, keyed by the page the form was on, adds a plain "다시 로그인해 주세요" message and points the
login's ``next`` back at that page. Logging in keeps the session's data (``login`` cycles the key),
so when the page opens again the ``form_stash`` context processor hands the fields to
``static/js/restore.js``, which puts them back into the form (adding formset rows where needed) and
says so. The person checks the text and saves again: nothing is sent for them.

Never kept: the CSRF token, anything named like a password, and files (a file input cannot be
filled by a page; the person is told to choose the file again). A stash lives 30 minutes and is used
once (it can only be opened by someone logged in, so after a login), so a shared computer does not
hand one person's text to the next for long; logging out flushes it with the session.
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "form_stash"
LIFETIME_SECONDS = 30 * 60
MAX_CHARACTERS = 64 * 1024
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def _kept_fields(request) -> list[list[str]]:
    fields = []
    for name, values in request.POST.lists():
        if name in SKIPPED_FIELDS or "password" in name.lower():
            continue
        fields.extend([name, value] for value in values)
    return fields


def _form_page(request) -> str:
    """The page the form was on: the referring page when it is ours (a form may post to another
    address, e.g. a POST-only action), else the address it was sent to."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        parts = urlsplit(referer)
        if parts.path:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


class FormStashMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.user.is_authenticated:
            stash = request.session.get(SESSION_KEY, {}).get(request.get_full_path())
            if stash and time.time() - stash["at"] < LIFETIME_SECONDS:
                request.form_stash = stash
        response = self.get_response(request)
        if getattr(request, "form_stash_used", False) and response.status_code == 200:
            stashes = request.session.get(SESSION_KEY, {})
            stashes.pop(request.get_full_path(), None)
            request.session[SESSION_KEY] = stashes
        elif self._sent_to_login(request, response):
            self._keep(request, response)
        return response

    @staticmethod
    def _sent_to_login(request, response) -> bool:
        if request.user.is_authenticated or response.status_code != 302:
            return False
        return urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)

    @staticmethod
    def _keep(request, response) -> None:
        if request.method != "POST":
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                messages.info(request, _("Please log in again to continue."))
            return
        page = _form_page(request)
        fields = _kept_fields(request)
        if sum(len(name) + len(value) for name, value in fields) > MAX_CHARACTERS:
            fields = []
        stashes = {
            path: stash
            for path, stash in request.session.get(SESSION_KEY, {}).items()
            if time.time() - stash["at"] < LIFETIME_SECONDS
        }
        stashes[page] = {"fields": fields, "files": bool(request.FILES), "at": time.time()}
        request.session[SESSION_KEY] = stashes
        messages.warning(
            request,
            _(
                "Your login had ended, so please log in again. What you typed is kept: it will be back on the "
                "page after you log in."
            )
            if fields
            else _("Your login had ended, so please log in again."),
        )
        response["Location"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"


def form_stash(request) -> dict:
    """Context processor: the fields to put back into this page's form, once."""
    stash = getattr(request, "form_stash", None)
    if not stash:
        return {}
    request.form_stash_used = True
    return {"restored_form": {"fields": stash["fields"], "files": stash["files"]}}
