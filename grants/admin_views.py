"""Staff pages added to the application admin: decisions, screening overrides, scoring,
the committee ranking, attachment downloads and exports. Each is wrapped in
``admin_site.admin_view`` (staff only) by ``ApplicationAdmin.get_urls``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.services import access_record, access_record_many
from grants import access, committee, exports, letters, reviewing, roles, services, workflow
from grants.admin_forms import (
    ApproveForm,
    ConflictForm,
    ExportForm,
    OverrideForm,
    RejectForm,
    RequestChangesForm,
    ScoreForm,
    TransitionForm,
)
from grants.models import Application, Criterion, ExportJob, GrantRound, Review
from portal.params import BadParameters, bad_parameters_response

DECIDE_PERMISSION = roles.DECIDE_PERMISSION
SCORE_PERMISSION = roles.SCORE_PERMISSION


def export_sync_limit() -> int:
    """Exports with more applications than this run in the Celery worker."""
    return getattr(settings, "GRANTS_EXPORT_SYNC_LIMIT", 2000)


def application_for_staff(request, model_admin, object_id) -> Application:
    """The application, if this staff user may view it: 403 without the permission, 404 if
    missing or outside the user's scope (a reviewer's assignments in review)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    queryset = reviewing.scope_for_reviewer(
        Application.objects.select_related("group", "group__dong", "round", "field"), request.user
    )
    application = get_object_or_404(queryset, pk=object_id)
    if not model_admin.has_view_permission(request, application):
        raise PermissionDenied
    return application


def _staff_only(request, model_admin) -> None:
    """Pages for deciding staff only: the ranking, exports and documents (403 for reviewers)."""
    if not model_admin.has_export_permission(request):
        raise PermissionDenied


def _change_url(application) -> str:
    return reverse("admin:grants_application_change", args=[application.pk])


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


DECISIONS = {
    # action: (form, service call)
    "screening": (
        TransitionForm,
        lambda a, d, by: services.staff_transition(application=a, to_status=workflow.SCREENING, by=by, note=d["note"]),
    ),
    "pass_screening": (
        TransitionForm,
        lambda a, d, by: services.screening_pass(application=a, by=by, note=d["note"]),
    ),
    "approve": (
        ApproveForm,
        lambda a, d, by: services.application_approve(application=a, amount=d["amount"], by=by, note=d["note"]),
    ),
    "reject": (RejectForm, lambda a, d, by: services.application_reject(application=a, reason=d["reason"], by=by)),
    "request_changes": (
        RequestChangesForm,
        lambda a, d, by: services.application_request_changes(
            application=a, note=d["note"], by=by, steps=d["steps"], respond_by=d["respond_by"]
        ),
    ),
}

# The button label of each decision on the change page.
ACTION_LABELS = {
    "screening": gettext_lazy("Start screening"),
    "pass_screening": gettext_lazy("Send to review"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "request_changes": gettext_lazy("Ask for changes"),
}

# Which decision form a workflow target maps to on the change page.
TARGET_ACTIONS = {
    workflow.SCREENING: "screening",
    workflow.IN_REVIEW: "pass_screening",
    workflow.APPROVED: "approve",
    workflow.REJECTED: "reject",
    workflow.CHANGES_REQUESTED: "request_changes",
}


@require_POST
def decide(request, model_admin, object_id, action):
    application = application_for_staff(request, model_admin, object_id)
    if action not in DECISIONS:
        raise PermissionDenied
    if not request.user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    form_class, call = DECISIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return HttpResponseRedirect(_change_url(application))
    try:
        updated = call(application, form.cleaned_data, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is now “%(status)s”.")
            % {"title": updated, "status": workflow.PHASES[updated.status].staff_label},
        )
    return HttpResponseRedirect(_change_url(application))


@require_POST
def override_eligibility(request, model_admin, object_id):
    application = application_for_staff(request, model_admin, object_id)
    if not request.user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.eligibility_override_set(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The override was recorded."))
    return HttpResponseRedirect(_change_url(application) + "#eligibility")


def score(request, model_admin, object_id):
    """The reviewer's page: score on the round's rubric, or declare a conflict of interest."""
    application = application_for_staff(request, model_admin, object_id)
    if not request.user.has_perm(SCORE_PERMISSION):
        raise PermissionDenied
    if request.method == "GET":
        access_record(
            user=request.user,
            action=AccessLog.Action.VIEW,
            subject=application,
            person=application.group.representative_id,
            detail="score page",
        )
    criteria = Criterion.objects.filter(round_id=application.round_id)
    review = Review.objects.filter(application=application, reviewer=request.user).first()
    initial = {}
    if review is not None:
        initial = {f"criterion_{s.criterion_id}": s.value for s in review.scores.all()}
        initial["comment"] = review.comment
    score_form = ScoreForm(criteria=criteria, initial=initial)
    conflict_form = ConflictForm()
    if request.method == "POST":
        try:
            if "declare_conflict" in request.POST:
                conflict_form = ConflictForm(request.POST)
                if conflict_form.is_valid():
                    services.review_declare_conflict(
                        application=application,
                        reviewer=request.user,
                        note=conflict_form.cleaned_data["conflict_note"],
                    )
                    messages.success(request, _("Your conflict of interest was recorded."))
                    return HttpResponseRedirect(_change_url(application))
            else:
                score_form = ScoreForm(request.POST, criteria=criteria)
                if score_form.is_valid():
                    services.review_score(
                        application=application,
                        reviewer=request.user,
                        values=score_form.values(),
                        comment=score_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Your scores were saved."))
                    return HttpResponseRedirect(_change_url(application))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": _("Score: %(title)s") % {"title": application},
        "application": application,
        "review": review,
        "score_form": score_form,
        "conflict_form": conflict_form,
        "criteria": criteria,
        "suggested_conflicts": reviewing.suggested_conflicts(request.user, application),
    }
    return TemplateResponse(request, "admin/grants/application/score.html", context)


def _selected_round(request):
    rounds = list(GrantRound.objects.order_by("-year", "-opens_at"))
    wanted = request.GET.get("round") or request.POST.get("round")
    selected = next((r for r in rounds if str(r.pk) == wanted), rounds[0] if rounds else None)
    return rounds, selected


def ranking(request, model_admin):
    """The committee's ranking per field (``grants.committee.ranking``): staff set proposed
    amounts against the cut-off line and assign a reviewer to a whole field."""
    _staff_only(request, model_admin)
    rounds, selected = _selected_round(request)
    can_decide = request.user.has_perm(DECIDE_PERMISSION)
    if request.method == "POST" and selected is not None:
        if not can_decide:
            raise PermissionDenied
        url = reverse("admin:grants_application_ranking") + f"?round={selected.pk}"
        if "assign_field" in request.POST:
            _assign_field(request, selected)
        else:
            _save_proposed(request, selected)
        return HttpResponseRedirect(url + "#field-" + request.POST.get("field", ""))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": _("Ranking by field"),
        "rounds": rounds,
        "selected": selected,
        "fields": committee.ranking(selected) if selected is not None else [],
        "can_decide": can_decide,
        "reviewers": roles.reviewers() if can_decide else [],
    }
    return TemplateResponse(request, "admin/grants/application/ranking.html", context)


def _save_proposed(request, round_) -> None:
    applications = Application.objects.filter(
        round=round_, field_id=request.POST.get("field") or None, status=workflow.IN_REVIEW
    )
    amounts = []
    for application in applications:
        key = f"proposed_{application.pk}"
        if key not in request.POST:
            continue
        raw = request.POST[key].replace(",", "").strip()
        if raw and not raw.isdigit():
            messages.error(request, _("“%(title)s”: write the amount in won, digits only.") % {"title": application})
            continue
        amounts.append((application, int(raw) if raw else None))
    results = services.applications_propose_amounts(amounts=amounts, by=request.user)
    saved = sum(1 for _a, error in results if error is None)
    if saved:
        messages.success(request, _("Proposed amounts saved: %(count)s.") % {"count": saved})
    for application, error in results:
        if error is not None:
            messages.error(request, _("Refused “%(title)s”: %(reason)s") % {"title": application, "reason": error})


def _assign_field(request, round_) -> None:
    reviewer = roles.reviewers().filter(pk=request.POST.get("reviewer") or None).first()
    field_ = round_.fields.filter(pk=request.POST.get("field") or None).first()
    if reviewer is None or field_ is None:
        messages.error(request, _("Choose a reviewer."))
        return
    results = services.reviewers_assign_field(reviewer=reviewer, round_=round_, field=field_, by=request.user)
    messages.success(
        request,
        _("%(name)s is assigned to %(count)s applications of “%(field)s”.")
        % {"name": reviewer.name, "count": sum(1 for _a, e in results if e is None), "field": field_},
    )


def committee_export(request, model_admin):
    """The committee sheet of a round (``grants.committee.committee_sheet``), access-logged."""
    _staff_only(request, model_admin)
    _rounds, selected = _selected_round(request)
    if selected is None:
        raise Http404
    content = committee.committee_sheet(selected)
    access_record(user=request.user, action=AccessLog.Action.EXPORT, subject=selected, detail="committee sheet")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="committee-{selected.year}-{selected.pk}.xlsx"'
    return response


def attachment_download(request, model_admin, attachment_id):
    """Serve a resident's document to staff whom ``grants.access.can_read_document`` allows
    (403 otherwise: a staff account without the permission, a reviewer), and log it."""
    attachment = get_object_or_404(access.document_queryset(), pk=attachment_id)
    if not access.can_read_document(request.user, attachment):
        raise PermissionDenied
    return access.serve_document(user=request.user, attachment=attachment)


@require_POST
def export(request, model_admin):
    """Export the changelist as filtered: small exports at once, large ones via Celery."""
    _staff_only(request, model_admin)
    form = ExportForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    export_format = form.cleaned_data["export_format"]
    try:
        filters = exports.filters_from_params(QueryDict(request.POST.get("filters", "")))
    except BadParameters as error:
        return bad_parameters_response(request, error)
    count = exports.filtered_applications(filters).count()
    if count > export_sync_limit():
        services.export_request(user=request.user, filters=filters, export_format=export_format)
        messages.info(
            request,
            _("The export of %(count)s applications is being prepared. It appears here when it is ready.")
            % {"count": count},
        )
        return HttpResponseRedirect(reverse("admin:grants_exportjob_changelist"))
    content, row_count = exports.build(filters=filters, export_format=export_format)
    access_record(user=request.user, action=AccessLog.Action.EXPORT, detail=f"{row_count} applications: {filters}")
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if export_format == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(export_format)}"'
    return response


def export_download(request, model_admin, job_id):
    """A finished export, for the person who asked for it (or a superuser)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    job = get_object_or_404(ExportJob, pk=job_id, status=ExportJob.Status.DONE)
    if job.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    access_record(user=request.user, action=AccessLog.Action.DOWNLOAD, subject=job, detail=f"export job {job.pk}")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


def publish_results(request, model_admin, object_id):
    """Publish a round's results in one act, after a confirmation that says what goes out."""
    round_ = get_object_or_404(GrantRound, pk=object_id)
    if not model_admin.has_view_permission(request, round_) or not request.user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    change_url = reverse("admin:grants_grantround_change", args=[round_.pk])
    if request.method == "POST":
        try:
            services.round_publish_results(round_=round_, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The results of “%(round)s” are published.") % {"round": round_})
        return HttpResponseRedirect(change_url)
    decided = services.publication_decided(round_)
    approvals = decided.filter(status=workflow.APPROVED).count()
    rejections = decided.filter(status=workflow.REJECTED).count()
    undecided = round_.applications.filter(
        status__in=[workflow.SUBMITTED, workflow.SCREENING, workflow.IN_REVIEW, workflow.CHANGES_REQUESTED]
    ).count()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": GrantRound._meta,
        "original": round_,
        "title": _("Publish the results: %(round)s") % {"round": round_},
        "round": round_,
        "approvals": approvals,
        "rejections": rejections,
        "emails": approvals + rejections,
        "undecided": undecided,
        "change_url": change_url,
    }
    return TemplateResponse(request, "admin/grants/grantround/publish_results.html", context)


def assign_reviewer_page(model_admin, request, queryset, reviewers):
    """The confirmation page of the "assign a reviewer" action: pick the reviewer, see the
    conflicts the portal suspects for each application."""
    applications = list(queryset.select_related("group", "group__dong"))
    chosen = reviewers.filter(pk=request.POST.get("reviewer") or None).first()
    rows = [
        {"application": a, "conflicts": reviewing.suggested_conflicts(chosen, a) if chosen else []}
        for a in applications
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": _("Assign a reviewer"),
        "rows": rows,
        "reviewers": reviewers,
        "chosen": chosen,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/grants/application/assign_reviewer.html", context)


def letter(request, model_admin, object_id, kind):
    """An official letter of one application for staff (not reviewers), access-logged."""
    _staff_only(request, model_admin)
    application = application_for_staff(request, model_admin, object_id)
    if kind not in letters.available_kinds(application, staff=True):
        raise Http404
    return letters_response(request, [(application, kind)])


def letters_response(request, documents) -> HttpResponse:
    """One PDF of ``documents`` ((application, kind) pairs), each read logged."""
    applications = {a.pk: a for a in letters.letters_queryset().filter(pk__in=[a.pk for a, _k in documents])}
    documents = [(applications[a.pk], kind) for a, kind in documents]
    access_record_many(
        user=request.user,
        action=AccessLog.Action.DOWNLOAD,
        entries=[(a, a.group.representative_id) for a, _kind in documents],
        detail="official letter",
    )
    response = HttpResponse(letters.render_pdf(documents), content_type="application/pdf")
    name = letters.filename(*documents[0]) if len(documents) == 1 else f"letters-{len(documents)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
