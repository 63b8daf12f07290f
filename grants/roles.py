"""Staff roles inside the admin. A reviewer sees only the applications staff assigned to
them while those are in review, only what the committee consent covers (group, participants,
plan, budget), and scores them; deciding needs ``grants.decide_application``, which the
reviewer group does not get. Nor does it get
``view_attachment``: the uploaded documents are the participants' signatures and registration
papers, which a reviewer does not need to score (see ``grants.access``)."""

from django.contrib.auth.models import Group, Permission

REVIEWER_GROUP = "reviewer"
REVIEWER_PERMISSIONS = [
    "view_application",
    "view_budgetline",
    "view_review",
    "score_application",
]
SCORE_PERMISSION = "grants.score_application"
DECIDE_PERMISSION = "grants.decide_application"


def reviewer_scope(user) -> bool:
    """Is ``user`` limited to their review assignments? The one home of that rule: anyone
    who may score but not decide (the reviewer group) is; staff who decide are not."""
    return user.has_perm(SCORE_PERMISSION) and not user.has_perm(DECIDE_PERMISSION)


def reviewers():
    """The people staff may assign as reviewers: active members of the reviewer group."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name=REVIEWER_GROUP).order_by("name")


def ensure_reviewer_group(**_signal_kwargs) -> Group:
    """Create the reviewer group with exactly its permissions (idempotent).

    Runs after every ``migrate`` (and after the test runner flushes the database), once
    Django has created the permissions themselves.
    """
    group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="grants", codename__in=REVIEWER_PERMISSIONS)
    )
    return group
