"""The permission matrix: every URL pattern of the project, built with real ids, requested by
every member of the cast; each answer is the one the rules below expect.

A URL pattern without a rule fails the suite (``test_every_url_pattern_has_a_rule``): whoever
adds a page says here who may open it. Rows list the cast in ``ROLES`` order:

    anonymous  resident  other_resident  mentor  other_mentor  reviewer  staff_no_perms  staff

``resident`` represents the group that owns the application, its attachment, the visit and the
registration, and coordinates the dong network; ``mentor`` is assigned to that group this round.
``L`` is a redirect to the portal's login, ``A`` to the admin's. POST requests send an empty
form inside a rolled-back savepoint, so nothing a request writes survives it.
"""

import pytest
from django.db import transaction
from django.test import Client

from tests.permission_world import ROLES, World, admin_model_of, all_routes, url_for

LOGIN, ADMIN_LOGIN = "L", "A"


def row(codes: str) -> dict:
    values = codes.split()
    assert len(values) == len(ROLES), codes
    return {role: value if value in (LOGIN, ADMIN_LOGIN) else int(value) for role, value in zip(ROLES, values)}


def same(code) -> str:
    return " ".join([str(code)] * len(ROLES))


PUBLIC_GET = (same(200), same(405))  # anyone reads; nothing to post
LOGGED_IN_GET = ("L 200 200 200 200 200 200 200", "L 405 405 405 405 405 405 405")
OWNER_STEP = ("L 302 404 404 404 404 404 404", "L 302 404 404 404 404 404 404")  # submitted: back to detail
ADMIN_ONLY = "A A A A A"  # the five non-staff members of the cast, at any admin page

# --- the portal's own pages -------------------------------------------------------------------
RULES = {
    "home": PUBLIC_GET,
    "about": PUBLIC_GET,
    "healthz": PUBLIC_GET,
    "set_language": (same(302), same(302)),
    "login": ("200 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302"),
    "logout": (same(405), same(302)),
    "signup": ("200 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302"),
    "profile": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "password_reset": (same(200), same(400)),
    "password_reset_done": (same(200), same(405)),
    # A valid link moves its token into the session and redirects to the form (302). The resident's
    # own link is spent for her: logging in changed her last_login, which the token signs (200, "invalid").
    "password_reset_confirm": ("302 200 302 302 302 302 302 302", "302 200 302 302 302 302 302 302"),
    "password_reset_complete": (same(200), same(405)),
    "notifications:unsubscribe": (same(200), same(200)),  # the signed token is the permission
    # The person's own data and choices (issue 11b, 15): anyone logged in, about themselves only.
    "privacy": PUBLIC_GET,
    "privacy_version": PUBLIC_GET,
    "my_data": LOGGED_IN_GET,
    "my_data_download": LOGGED_IN_GET,
    "my_data_request": ("L 405 405 405 405 405 405 405", "L 400 400 400 400 400 400 400"),  # empty form
    "my_data_notices": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    "notifications:preferences": ("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "notifications:test_message": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    # The representative's own letters and project reports; everyone else 404 (issues 13, 14).
    "grants:letter": ("L 200 404 404 404 404 404 404", "L 405 405 405 405 405 405 405"),
    "projects:report": ("L 200 404 404 404 404 404 404", "L 302 404 404 404 404 404 404"),
    # Official letters in the admin: staff with the view permission only (reviewers never print).
    "admin:grants_application_letter": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    # networks: public pages, coordinators (the resident) manage their network, staff and mentors all
    "networks:list": PUBLIC_GET,
    "networks:calendar_all": PUBLIC_GET,
    "networks:detail": PUBLIC_GET,
    "networks:calendar": PUBLIC_GET,
    "networks:forum": PUBLIC_GET,
    "networks:forum_calendar": PUBLIC_GET,
    "networks:group": PUBLIC_GET,
    "networks:health": ("L 404 404 200 200 200 200 200", "L 405 405 405 405 405 405 405"),
    "networks:my_registrations": LOGGED_IN_GET,
    "networks:members": ("L 403 403 200 200 200 200 200", "L 403 403 200 200 200 200 200"),
    "networks:member_remove": ("L 405 405 405 405 405 405 405", "L 403 403 302 302 302 302 302"),
    "networks:forum_create": ("L 200 403 200 200 200 200 200", "L 200 403 200 200 200 200 200"),
    "networks:forum_edit": ("L 200 403 200 200 200 200 200", "L 200 403 200 200 200 200 200"),
    "networks:forum_record": ("L 200 403 200 200 200 200 200", "L 200 403 200 200 200 200 200"),
    "networks:forum_register": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    "networks:decision_create": ("L 405 405 405 405 405 405 405", "L 422 403 422 422 422 422 422"),
    "networks:decision_done": ("L 405 405 405 405 405 405 405", "L 302 403 302 302 302 302 302"),
    "networks:registration_cancel": ("L 405 405 405 405 405 405 405", "L 302 404 404 404 404 404 404"),
    # mentors: the assigned mentor; another mentor and staff without a mentor profile get 404
    "mentors:home": ("L 404 404 200 200 404 404 404", "L 404 404 200 200 404 404 404"),
    "mentors:group": ("L 404 404 200 404 404 404 404", "L 404 404 200 404 404 404 404"),
    "mentors:visit_create": ("L 404 404 200 404 404 404 404", "L 404 404 200 404 404 404 404"),
    "mentors:visit_edit": ("L 404 404 200 404 404 404 404", "L 404 404 200 404 404 404 404"),
    "mentors:follow_up_done": ("L 405 405 405 405 405 405 405", "L 404 404 302 404 404 404 404"),
    "mentors:session_create": ("L 404 404 200 200 404 404 404", "L 404 404 200 200 404 404 404"),
    "mentors:session": ("L 404 404 200 404 404 404 404", "L 404 404 302 404 404 404 404"),
    # a visit photo: its mentor, and staff with the permission (grants/mentors access rules)
    "mentors:photo": ("L 404 404 200 404 404 404 200", "L 404 404 200 404 404 404 200"),
    "mentors:my_group_visits": ("L 302 302 200 200 200 200 200", "L 302 302 200 200 200 200 200"),
    "mentors:group_visits_for_resident": ("L 200 404 404 404 404 404 404", "L 200 404 404 404 404 404 404"),
    # grants: the representative's own application; another resident, mentors and staff get 404
    "grants:round_results": PUBLIC_GET,
    "grants:start_application": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    "grants:group": ("L 200 200 200 200 200 200 200", "L 400 400 400 400 400 400 400"),
    "grants:my_applications": LOGGED_IN_GET,
    "grants:application_detail": ("L 200 404 404 404 404 404 404", "L 405 405 405 405 405 405 405"),
    "grants:apply_project": OWNER_STEP,
    "grants:apply_budget": OWNER_STEP,
    "grants:apply_documents": OWNER_STEP,
    "grants:apply_consent": OWNER_STEP,
    "grants:apply_review": OWNER_STEP,
    "grants:delete_attachment": ("L 405 405 405 405 405 405 405", "L 302 404 404 404 404 404 404"),
    "grants:withdraw": ("L 200 404 404 404 404 404 404", "L 302 404 404 404 404 404 404"),
    # a document: its group, the group's current mentor, staff with the permission (not a reviewer)
    "grants:download_attachment": ("L 200 404 200 404 404 404 200", "L 405 405 405 405 405 405 405"),
    # --- the admin, beyond the model pages -----------------------------------------------------
    "admin:index": (f"{ADMIN_ONLY} 200 200 200", f"{ADMIN_ONLY} 200 200 200"),
    "admin:login": ("200 200 200 200 200 302 302 302", same(200)),
    "admin:logout": ("302 302 302 302 302 405 405 405", same(302)),
    "admin:password_change": (f"{ADMIN_ONLY} 200 200 200", f"{ADMIN_ONLY} 200 200 200"),
    "admin:password_change_done": (f"{ADMIN_ONLY} 200 200 200", f"{ADMIN_ONLY} 405 405 405"),
    "admin:autocomplete": (f"{ADMIN_ONLY} 403 403 403", f"{ADMIN_ONLY} 405 405 405"),
    "admin:jsi18n": (f"{ADMIN_ONLY} 200 200 200", f"{ADMIN_ONLY} 405 405 405"),
    "admin:view_on_site": (f"{ADMIN_ONLY} 404 404 404", f"{ADMIN_ONLY} 404 404 404"),
    "admin:app_list": (f"{ADMIN_ONLY} 200 404 200", f"{ADMIN_ONLY} 200 404 200"),
    "admin/(?P<url>.*)$": (f"{ADMIN_ONLY} 404 404 404", f"{ADMIN_ONLY} 404 404 404"),
    "admin:grants_application_ranking": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 302"),
    "admin:grants_application_score": (f"{ADMIN_ONLY} 200 403 200", f"{ADMIN_ONLY} 200 403 200"),
    "admin:grants_application_export": (f"{ADMIN_ONLY} 405 405 405", f"{ADMIN_ONLY} 403 403 403"),
    "admin:grants_application_decide": (f"{ADMIN_ONLY} 405 405 405", f"{ADMIN_ONLY} 403 403 302"),
    "admin:grants_application_eligibility": (f"{ADMIN_ONLY} 405 405 405", f"{ADMIN_ONLY} 403 403 302"),
    "admin:grants_attachment_download": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:grants_exportjob_download": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:mentors_mentor_coverage": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:mentors_mentor_export_visits": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:mentors_assignment_auto": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:auth_user_password_change": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:grants_grantround_publish": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 302"),
    "admin:grants_application_committee_export": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:projects_project_act": (f"{ADMIN_ONLY} 405 405 405", f"{ADMIN_ONLY} 403 403 302"),
    "admin:projects_project_account": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:projects_project_settlement_export": (f"{ADMIN_ONLY} 403 403 200", f"{ADMIN_ONLY} 403 403 200"),
    "admin:projects_project_summary_export": (f"{ADMIN_ONLY} 404 404 200", f"{ADMIN_ONLY} 404 404 200"),
    # projects: the funded group's representative; the evidence also for staff who may view expenses
    "projects:my_projects": LOGGED_IN_GET,
    "projects:home": ("L 200 404 404 404 404 404 404", "L 405 405 405 405 405 405 405"),
    "projects:plan": ("L 200 404 404 404 404 404 404", "L 400 404 404 404 404 404 404"),
    "projects:agreement": ("L 200 404 404 404 404 404 404", "L 200 404 404 404 404 404 404"),
    "projects:disbursements": ("L 200 404 404 404 404 404 404", "L 400 404 404 404 404 404 404"),
    "projects:ledger": ("L 200 404 404 404 404 404 404", "L 400 404 404 404 404 404 404"),
    "projects:expense_edit": ("L 200 404 404 404 404 404 404", "L 400 404 404 404 404 404 404"),
    "projects:expense_delete": ("L 405 405 405 405 405 405 405", "L 302 404 404 404 404 404 404"),
    "projects:evidence": ("L 200 404 404 404 404 404 200", "L 405 405 405 405 405 405 405"),
    "projects:settlement": ("L 200 404 404 404 404 404 404", "L 400 404 404 404 404 404 404"),
}

# --- the admin's model pages, by rule ---------------------------------------------------------
# What the reviewer group may view (grants/roles.py: its assigned applications in review); it
# changes, adds and deletes nothing.
REVIEWER_VIEWS = {"grants.application"}
# Rows nobody adds or deletes by hand, not even a superuser: they are written by services.
NOBODY_ADDS = {
    "accounts.accesslog",
    "accounts.destructionrecord",
    "accounts.privacyrequest",
    "accounts.retentionrule",
    "projects.projectreport",
    "notifications.email",
    "notifications.message",
    "networks.networkmembership",
    "networks.decision",
    "grants.application",
    "grants.exportjob",
    "mentors.assignmentchange",
    "projects.project",
}
NOBODY_DELETES = {
    "accounts.accesslog",
    "accounts.destructionrecord",
    "accounts.privacypolicy",
    "accounts.privacyrequest",
    "accounts.retentionrule",
    "projects.projectreport",
    "notifications.email",
    "notifications.message",
    "networks.networkmembership",
    "grants.application",
    "mentors.assignmentchange",
    "projects.grantconditions",
    "projects.project",
}
# Read-only even for a superuser (an empty POST is refused), or saved as is (the outbox row).
NOBODY_CHANGES = {
    "accounts.accesslog",
    "accounts.destructionrecord",
    "accounts.privacypolicy",  # the version in force is never edited; staff add a new one
    "networks.networkmembership",
    "grants.exportjob",
    "mentors.assignmentchange",
    "projects.project",
}
# Every field read-only (the outbox row, published conditions): the empty form is valid and saved.
SAVES_AN_EMPTY_POST = {
    "notifications.email",
    "notifications.message",
    "projects.grantconditions",
    "projects.projectreport",  # the text is read-only; an empty decision saves nothing
}
# An export job is its requester's (here: staff's): for anybody else it "does not exist".
OTHERS_RECORD_REDIRECTS = {"grants.exportjob"}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")


def admin_model_rule(route):
    """(GET row, POST row or None) for an admin model page, or None when ``route`` is not one."""
    model = admin_model_of(route)
    if model is None:
        return None
    label = model._meta.label_lower
    view = next((v for v in MODEL_VIEWS if route.name == f"admin:{label.replace('.', '_')}_{v}"), None)
    if view is None and route.name is None and route.route.endswith("<path:object_id>/"):
        return (f"{ADMIN_ONLY} 302 302 302", None)  # the old address redirects to the change page
    if view is None:
        return None
    reviewer_may = label in REVIEWER_VIEWS and view in ("changelist", "change")  # not the edit history
    reviewer = 200 if reviewer_may else 403
    staff = 200
    if (view == "add" and label in NOBODY_ADDS) or (view == "delete" and label in NOBODY_DELETES):
        staff = 403
    clerk = 403
    if label in OTHERS_RECORD_REDIRECTS and view in ("change", "history"):
        clerk = 302 if view == "history" else 403
        reviewer = clerk
    get = f"{ADMIN_ONLY} {reviewer} {clerk} {staff}"
    if view != "change":
        return (get, None)
    staff_post = 403 if label in NOBODY_CHANGES else 302 if label in SAVES_AN_EMPTY_POST else 200
    return (get, f"{ADMIN_ONLY} 403 403 {staff_post}")


def rule_for(route):
    if route.key in RULES:
        return RULES[route.key]
    return admin_model_rule(route)


def test_every_url_pattern_has_a_rule():
    missing = [route.key for route in all_routes() if rule_for(route) is None]
    assert not missing, f"URL patterns without a permission rule in {__name__}: {missing}"


def test_no_rule_is_left_for_a_url_that_no_longer_exists():
    keys = {route.key for route in all_routes()}
    assert not set(RULES) - keys


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def observe(client: Client, url: str, method: str):
    sid = transaction.savepoint()
    try:
        response = client.get(url) if method == "GET" else client.post(url, {})
    finally:
        transaction.savepoint_rollback(sid)
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_member_of_the_cast_gets_the_expected_answer_from_every_url(role):
    world = World()
    user = world.users[role]
    client = signed_in(user)
    wrong = []
    for route in all_routes():
        get_row, post_row = rule_for(route)
        url = url_for(world, route)
        for method, codes in (("GET", get_row), ("POST", post_row)):
            if codes is None:
                continue
            expected, got = row(codes)[role], observe(client, url, method)
            if expected != got:
                wrong.append(f"{method} {url} ({route.key}): expected {expected}, got {got}")
            if method == "POST":
                client = signed_in(user)  # a POST may have logged out or changed the session
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
