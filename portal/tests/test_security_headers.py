"""Headers: a Content-Security-Policy that needs no inline script, the language cookie Secure in
production. (The reset link from PORTAL_BASE_URL: accounts/tests/test_reset_limits.py.)"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from portal.tests.test_settings import run_manage

BASE_DIR = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class InlineScripts(HTMLParser):
    """Collects what a strict script-src would block: inline <script> bodies and on* handlers."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self._in_inline_script = True
        self.found.extend(f"{tag} {name}=" for name, _ in attrs if name.startswith("on"))
        self.found.extend(f"{tag} {name}=javascript:" for name, v in attrs if (v or "").startswith("javascript:"))

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_scripts(html: bytes | str) -> list[str]:
    parser = InlineScripts()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.found


@pytest.mark.django_db
def test_every_page_sends_a_policy_that_allows_only_our_own_scripts(client):
    policy = directives(client.get(reverse("home")))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


def test_no_template_of_the_project_carries_an_inline_script():
    offenders = []
    for template in BASE_DIR.glob("**/templates/**/*.html"):
        if ".venv" in template.parts or "email" in template.parts:
            continue  # emails are not pages: no script runs in a mail client
        found = inline_scripts(re.sub(r"{%.*?%}|{{.*?}}", "", template.read_text()))
        offenders.extend(f"{template.relative_to(BASE_DIR)}: {item}" for item in found)
    assert not offenders


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, url_name",
    [
        ("anonymous", "home"),
        ("anonymous", "login"),
        ("anonymous", "signup"),
        ("anonymous", "admin:login"),
        ("staff", "admin:index"),
        ("staff", "admin:grants_application_changelist"),
        ("staff", "admin:grants_grantround_add"),
        ("staff", "admin:networks_communitygroup_add"),
        ("resident", "grants:group"),
        ("mentor", "mentors:home"),
    ],
)
def test_rendered_pages_and_the_admin_need_no_inline_script(client, request, who, url_name):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert not inline_scripts(response.content)


@pytest.mark.django_db
def test_the_visit_form_script_is_a_static_file(client, mentor):
    from tests.factories import AssignmentFactory, CommunityGroupFactory

    group = CommunityGroupFactory()
    AssignmentFactory(mentor=mentor.mentor_profile, group=group)
    client.force_login(mentor)
    page = client.get(reverse("mentors:visit_create", args=[group.pk]))
    assert page.status_code == 200
    assert b'src="/static/js/visit_form.js"' in page.content
    assert not inline_scripts(page.content)


def test_production_makes_the_language_cookie_secure_like_the_session_cookie():
    script = (
        "from django.conf import settings; "
        "print(settings.LANGUAGE_COOKIE_SECURE, settings.SESSION_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY)"
    )
    production = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghij",
        DJANGO_ALLOWED_HOSTS="maeul.example",
    )
    assert production.stdout.split() == ["True", "True", "True"], production.stderr


@pytest.mark.django_db
def test_the_language_cookie_set_by_the_profile_and_by_setlang_follows_the_settings(client, resident, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    client.force_login(resident)
    response = client.post(
        reverse("profile"), {"name": resident.name, "phone": resident.phone, "preferred_language": "en"}
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["secure"] is True and cookie["httponly"] is True
    switched = client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True
