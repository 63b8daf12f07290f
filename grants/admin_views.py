"""Staff pages added to the application admin: decisions, screening overrides, scoring,
the committee ranking, attachment downloads and exports. Each is wrapped in
``admin_site.admin_view`` (staff only) by ``ApplicationAdmin.get_urls``."""

from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.services import access_record
from grants import access, exports, services, workflow
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

DECIDE_PERMISSION = "grants.decide_application"
SCORE_PERMISSION = "grants.score_application"


def export_sync_limit() -> int:
    """Exports with more applications than this run in the Celery worker."""
    return getattr(settings, "GRANTS_EXPORT_SYNC_LIMIT", 2000)


def application_for_staff(request, model_admin, object_id) -> Application:
    """The application, if this staff user may view it (404 if missing, 403 if not allowed)."""
    application = get_object_or_404(
        Application.objects.select_related("group", "group__dong", "round", "field"), pk=object_id
    )
    if not model_admin.has_view_permission(request, application):
        raise PermissionDenied
    return application


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
        lambda a, d, by: services.application_request_changes(application=a, note=d["note"], by=by),
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
    }
    return TemplateResponse(request, "admin/grants/application/score.html", context)


def ranking(request, model_admin):
    """The committee's ranking: applications in review or decided, per field, best score first."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    rounds = list(GrantRound.objects.order_by("-year", "-opens_at"))
    selected = next((r for r in rounds if str(r.pk) == request.GET.get("round")), rounds[0] if rounds else None)
    fields = OrderedDict()
    if selected is not None:
        envelopes = {e.field_id: e for e in selected.envelopes.select_related("field")}
        applications = (
            model_admin.get_queryset(request)
            .filter(round=selected, status__in=[workflow.IN_REVIEW, workflow.APPROVED])
            .order_by("field__order", "field__name", F("average_score").desc(nulls_last=True), "submitted_at")
        )
        for application in applications:
            key = application.field_id
            if key not in fields:
                envelope = envelopes.get(key)
                fields[key] = {
                    "field": application.field,
                    "envelope": envelope,
                    "rows": [],
                    "cumulative": 0,
                }
            entry = fields[key]
            entry["cumulative"] += application.requested_amount
            envelope = entry["envelope"]
            cap = envelope.amount if envelope is not None else None
            entry["rows"].append(
                {
                    "rank": len(entry["rows"]) + 1,
                    "application": application,
                    "cumulative": entry["cumulative"],
                    "fits": cap is None or entry["cumulative"] <= cap,
                }
            )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": _("Ranking by field"),
        "rounds": rounds,
        "selected": selected,
        "fields": list(fields.values()),
    }
    return TemplateResponse(request, "admin/grants/application/ranking.html", context)


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
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = ExportForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    export_format = form.cleaned_data["export_format"]
    filters = exports.filters_from_params(QueryDict(request.POST.get("filters", "")))
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
    job = get_object_or_404(ExportJob, pk=job_id, status=ExportJob.Status.DONE)
    if job.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    access_record(user=request.user, action=AccessLog.Action.DOWNLOAD, subject=job, detail=f"export job {job.pk}")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
