from django import template

from grants import budget

register = template.Library()


@register.simple_tag(takes_context=True)
def budget_panels(context):
    """Budget summaries of the latest rounds for the admin index (staff who may see rounds)."""
    user = context["request"].user
    if not user.has_perm("grants.view_grantround"):
        return []
    return [budget.round_summary(round_) for round_ in budget.current_rounds()]


@register.simple_tag(takes_context=True)
def staff_desk(context):
    """What needs doing, for staff who decide (reviewers get their own list instead)."""
    from grants import desk, roles

    user = context["request"].user
    if not user.has_perm(roles.DECIDE_PERMISSION):
        return None
    return desk.desk(user)
