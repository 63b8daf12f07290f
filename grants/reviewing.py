"""Reads for the review: which applications a reviewer may see, which other reviews they may
see, and the conflicts of interest the portal suggests. Writes are in ``grants.services``."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from grants import roles, workflow
from grants.models import Consent, Review, ReviewerAssignment
from networks.models import CommunityGroup, GroupMember


def scope_for_reviewer(queryset, user):
    """``queryset`` limited to what ``user`` may see as a reviewer: applications assigned to
    them, in review, whose group consented to giving the committee its data. Staff who decide
    see everything (``roles.reviewer_scope``)."""
    if not roles.reviewer_scope(user):
        return queryset
    assigned = ReviewerAssignment.objects.filter(application=OuterRef("pk"), reviewer=user)
    consented = Consent.objects.filter(application=OuterRef("pk"), kind=Consent.Kind.THIRD_PARTY, granted=True)
    return queryset.filter(Exists(assigned), Exists(consented), status=workflow.IN_REVIEW)


def reviews_visible_to(user, application):
    """The reviews of ``application`` that ``user`` may read: all for deciding staff; for a
    reviewer, none of the others' until their own score (or conflict) is saved."""
    reviews = Review.objects.filter(application=application).select_related("reviewer")
    if not roles.reviewer_scope(user):
        return reviews
    own_done = reviews.filter(reviewer=user).exclude(weighted_score__isnull=True, conflict_of_interest=False)
    return reviews if own_done.exists() else reviews.filter(reviewer=user)


def suggested_conflicts(reviewer, application) -> list[str]:
    """Likely conflicts of interest, in plain words: the reviewer represents the group or a
    group in the same dong, or a participant of the group has the reviewer's name."""
    group = application.group
    suggestions = []
    represented = CommunityGroup.objects.filter(representative=reviewer).select_related("dong")
    for own in represented:
        if own.pk == group.pk:
            suggestions.append(_("You represent this group."))
        elif own.dong_id == group.dong_id:
            suggestions.append(
                _("You represent “%(group)s” in the same dong (%(dong)s).") % {"group": own.name, "dong": own.dong.name}
            )
    if reviewer.name and GroupMember.objects.filter(group=group, name=reviewer.name).exists():
        suggestions.append(_("A participant of this group has your name (%(name)s).") % {"name": reviewer.name})
    return suggestions
