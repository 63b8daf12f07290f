"""The representative registers and edits the group, with its participant list, and sees at
once whether the group may apply to the open round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.errors import summarise_errors
from grants import selectors, services
from grants.forms import GroupForm, GroupMemberFormSet
from grants.models import GrantRound


@login_required
@require_http_methods(["GET", "POST"])
def group(request):
    """Create the user's group the first time, edit it afterwards (only its representative can)."""
    current = selectors.group_for_user(request.user)
    initial_members = list(current.members.values("name", "role")) if current else []
    if request.method == "POST":
        form = GroupForm(request.POST, instance=current)
        formset = GroupMemberFormSet(request.POST, initial=initial_members, prefix="members")
        if form.is_valid() and formset.is_valid():
            members = [
                {"name": row["name"], "role": row.get("role", "")}
                for row in formset.cleaned_data
                if row and not row.get("DELETE")
            ]
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            saved = services.save_group(representative=request.user, group=current, fields=fields, members=members)
            messages.success(request, _("Your group's details were saved."))
            open_round = selectors.open_rounds().first()
            if open_round is not None:
                problems = selectors.eligibility_problems(saved, open_round)
                for problem in problems:
                    messages.warning(request, problem)
            return redirect("grants:group")
    else:
        form = GroupForm(instance=current)
        formset = GroupMemberFormSet(initial=initial_members, prefix="members")
    # The page needs no envelopes, so not selectors.open_rounds() (its prefetch is one query more).
    open_rounds = []
    if current:
        open_rounds = list(GrantRound.objects.open_now().select_related("district").order_by("closes_at"))
    existing = {}
    if open_rounds:
        existing = {a.round_id: a for a in current.applications.filter(round__in=open_rounds)}
    for round_ in open_rounds:
        round_.my_application = existing.get(round_.pk)
        if round_.my_application is not None:
            round_.my_application.round = round_
    eligibility = [(round_, selectors.eligibility_problems(current, round_)) for round_ in open_rounds]
    errors = summarise_errors(form, formset)
    context = {"form": form, "formset": formset, "group": current, "eligibility": eligibility, "error_summary": errors}
    return render(request, "grants/group_form.html", context, status=400 if errors else 200)
