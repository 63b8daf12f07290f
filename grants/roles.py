"""Staff roles inside the admin. A reviewer sees the round and its applications and scores
them; deciding needs ``grants.decide_application``, which the reviewer group does not get.
Nor does it get ``view_attachment``: the uploaded documents are the participants' signatures and
registration papers, which a reviewer does not need to score (see ``grants.access``)."""

from django.contrib.auth.models import Group, Permission

REVIEWER_GROUP = "reviewer"
REVIEWER_PERMISSIONS = [
    "view_grantround",
    "view_field",
    "view_fieldenvelope",
    "view_criterion",
    "view_application",
    "view_budgetline",
    "view_consent",
    "view_statuschange",
    "view_review",
    "score_application",
]


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
