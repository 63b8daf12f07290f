"""Run by ``bench/http.py`` inside the bench's environment (same database, same secret key):
print one JSON object with a session cookie per role and the pages to drive.

    DJANGO_SETTINGS_MODULE=portal.settings_bench DATABASE_URL=… python -m bench.bench_setup
"""

import json
import os
from urllib.parse import quote

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_bench")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402

from accounts.models import User  # noqa: E402
from grants.models import Application, GrantRound  # noqa: E402
from mentors.models import Assignment  # noqa: E402
from networks.models import Network  # noqa: E402


def session_cookie(email: str) -> str:
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def busiest_mentor(round_) -> tuple[str, int]:
    """The mentor with the most groups in ``round_`` (their home page is the heaviest)."""
    busiest = (
        Assignment.objects.filter(round=round_)
        .values("mentor__user__email")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return (busiest["mentor__user__email"], busiest["n"]) if busiest else ("mentor1@example.com", 0)


def open_round():
    return GrantRound.objects.open_now().first() or GrantRound.objects.order_by("-year").first()


def pages() -> list[dict]:
    open_round_ = open_round()
    closed_round = GrantRound.objects.exclude(pk=open_round_.pk).order_by("-year").first() or open_round_
    mentor_email, _groups = busiest_mentor(open_round_)
    mentor_group = (
        Assignment.objects.filter(round=open_round_, mentor__user__email=mentor_email)
        .values_list("group_id", flat=True)
        .first()
    )
    resident_application = Application.objects.filter(
        group__representative__email="resident1@example.com", round=open_round_
    ).first()
    in_review = Application.objects.filter(round=open_round_, status="in_review").order_by("pk").first() or (
        Application.objects.filter(round=open_round_).order_by("pk").first()
    )
    network = Network.objects.order_by("pk").first()
    a_group = in_review.group if in_review else None
    staff_list = f"/admin/grants/application/?round__id__exact={open_round_.pk}"
    result = [
        {"role": "anonymous", "kind": "public", "path": "/healthz", "name": "/healthz"},
        {"role": "anonymous", "kind": "public", "path": "/", "name": "/"},
        {"role": "anonymous", "kind": "public", "path": "/networks/", "name": "/networks/"},
        {"role": "anonymous", "kind": "public", "path": f"/networks/{network.pk}/", "name": "/networks/<id>/"},
        {
            "role": "anonymous",
            "kind": "public",
            "path": f"/rounds/{closed_round.pk}/results/",
            "name": "/rounds/<id>/results/",
        },
        {"role": "resident", "kind": "resident", "path": "/my/applications/", "name": "/my/applications/"},
    ]
    if resident_application is not None:
        for step in ("", "project/", "budget/", "documents/", "consent/", "review/"):
            result.append(
                {
                    "role": "resident",
                    "kind": "resident",
                    "path": f"/my/applications/{resident_application.pk}/{step}",
                    "name": f"/my/applications/<id>/{step}",
                }
            )
    result.append({"role": "mentor", "kind": "mentor", "path": "/mentors/", "name": "/mentors/"})
    if mentor_group:
        result.append(
            {
                "role": "mentor",
                "kind": "mentor",
                "path": f"/mentors/groups/{mentor_group}/",
                "name": "/mentors/groups/<id>/",
            }
        )
    result += [
        {"role": "staff", "kind": "admin", "path": "/admin/", "name": "admin index"},
        {"role": "staff", "kind": "admin", "path": staff_list, "name": "application list, one round"},
        {
            "role": "staff",
            "kind": "admin",
            "path": staff_list + "&status__exact=in_review",
            "name": "list, status filter",
        },
        {"role": "staff", "kind": "admin", "path": staff_list + "&q=%EB%A7%88%EC%9D%84", "name": "list, search 마을"},
    ]
    if a_group is not None:
        result.append(
            {
                "role": "staff",
                "kind": "admin",
                "path": staff_list + "&q=" + quote(a_group.name[:6]),
                "name": "list, search a name",
            }
        )
    # o=N sorts by the N-th column of ApplicationAdmin.list_display (1-based).
    sorts = (
        (1, "title"),
        (3, "dong"),
        (5, "requested"),
        (8, "average score"),
        (9, "mentor"),
        (10, "submitted, oldest"),
    )
    for column, label in sorts:
        result.append(
            {"role": "staff", "kind": "admin", "path": staff_list + f"&o={column}", "name": f"list, sort by {label}"}
        )
    if in_review is not None:
        result.append(
            {
                "role": "staff",
                "kind": "admin",
                "path": f"/admin/grants/application/{in_review.pk}/change/",
                "name": "application change page",
            }
        )
    return result


def main():
    roles = {
        "anonymous": "",
        "resident": session_cookie("resident1@example.com"),
        "staff": session_cookie("staff@example.com"),
    }
    found = pages()
    mentor_email, groups = busiest_mentor(open_round())
    roles["mentor"] = session_cookie(mentor_email)
    for page in found:
        if page["role"] == "mentor":
            page["name"] += f" ({groups} groups)"
    print(json.dumps({"roles": roles, "pages": found, "groups": _group_count()}))


def _group_count() -> int:
    from networks.models import CommunityGroup

    return CommunityGroup.objects.count()


if __name__ == "__main__":
    main()
