"""The resident's side: the public home and results pages, the application's steps,
my applications, withdrawal and permission-checked downloads."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import summarise_errors
from grants import access, letters, selectors, services, uploads, workflow
from grants.consents import CONSENT_TEXTS
from grants.forms import AttachmentForm, BudgetFormSet, ConsentForm, ProjectForm
from grants.models import Attachment, BudgetLine, GrantRound, self_contribution_share
from portal import public_cache

STEPS = [
    ("project", gettext_lazy("Project")),
    ("budget", gettext_lazy("Budget")),
    ("documents", gettext_lazy("Documents")),
    ("consent", gettext_lazy("Consent")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]


# --- public pages -----------------------------------------------------------------------


@require_GET
def home(request):
    if not request.user.is_authenticated:
        # What an anonymous visitor sees is the same for everyone (portal.public_cache).
        content = public_cache.fragment("home", partial(_anonymous_home, request), topics=("rounds",))
        return render(request, "grants/home.html", {"cached_content": content})
    return render(request, "grants/home.html", _home_context(request))


def _anonymous_home(request) -> tuple[str, int]:
    """The home page's content for anyone not logged in, kept until the next round opens or
    closes (so the apply button never outlives the deadline)."""
    context = _home_context(request)
    html = render_to_string("grants/_home_content.html", context, request=request)
    return html, selectors.seconds_until_round_changes()


def _home_context(request) -> dict:
    open_rounds = list(selectors.open_rounds())
    group = selectors.group_for_user(request.user)
    applications = {}
    if group is not None and open_rounds:
        applications = {
            application.round_id: application
            for application in group.applications.filter(round__in=open_rounds).only("id", "round_id", "status")
        }
    for round_ in open_rounds:
        round_.my_application = applications.get(round_.pk)
        if round_.my_application is not None:
            round_.my_application.round = round_  # resident_can_edit asks the round; no extra query
        round_.my_problems = selectors.eligibility_problems(group, round_) if group is not None else []
    context = {
        "open_rounds": open_rounds,
        "closed_rounds": selectors.closed_rounds(),
        "group": group,
        "document_kinds": [(kind, kind in Attachment.REQUIRED_KINDS) for kind in Attachment.Kind],
    }
    return context


@require_GET
def round_results(request, pk):
    round_ = get_object_or_404(GrantRound.objects.select_related("district"), pk=pk, closes_at__lte=timezone.now())

    def build() -> str:
        approved = list(selectors.approved_applications(round_))
        context = {"round": round_, "approved": approved, "total": sum(a.awarded_amount or 0 for a in approved)}
        return render_to_string("grants/_round_results_content.html", context, request=request)

    # The same for every visitor (portal.public_cache), forgotten when a decision or the round changes.
    content = public_cache.fragment(f"results:{round_.pk}", build, topics=("results",))
    return render(request, "grants/round_results.html", {"round": round_, "cached_content": content})


# --- starting and following applications -----------------------------------------------------


@login_required
@require_POST
def start_application(request, round_pk):
    round_ = get_object_or_404(GrantRound.objects.select_related("district"), pk=round_pk)
    group = selectors.group_for_user(request.user)
    if group is None:
        messages.info(request, _("First, register your group. It takes a few minutes."))
        return redirect("grants:group")
    existing = group.applications.filter(round=round_).first()
    if existing is not None:
        existing.round = round_
        if blocked := _not_editable(request, existing):
            return blocked
        return redirect(_step_url(existing, "project"))
    if not round_.is_open():
        messages.error(request, services.round_closed_message(round_))
        return redirect("home")
    problems = selectors.eligibility_problems(group, round_)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("grants:group")
    application, _created = services.start_application(group=group, round_=round_, by=request.user)
    return redirect(_step_url(application, "project"))


@login_required
@require_GET
def my_applications(request):
    context = {
        "applications": selectors.applications_for_user(request.user),
        "group": selectors.group_for_user(request.user),
        "has_open_round": GrantRound.objects.open_now().exists(),
    }
    return render(request, "grants/my_applications.html", context)


@login_required
@require_GET
def application_detail(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    context = _summary_context(application)
    changes = application.resident_changes
    context["changes"] = changes
    context["receipt"] = selectors.submission_receipt(application) if application.submitted_at else None
    visible_award = application.status == workflow.APPROVED and application.decision_visible_to_resident
    context["award"] = selectors.award_facts(application) if visible_award else None
    context["can_withdraw"] = workflow.is_allowed(application.status, workflow.WITHDRAWN, workflow.RESIDENT)
    context["letters"] = [(kind, letters.KINDS[kind]) for kind in letters.available_kinds(application, staff=False)]
    return render(request, "grants/application_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    if not workflow.is_allowed(application.status, workflow.WITHDRAWN, workflow.RESIDENT):
        messages.info(request, _("This application can no longer be withdrawn at this stage."))
        return redirect(_detail_url(application))
    if request.method == "POST":
        try:
            services.withdraw_application(application=application, by=request.user)
        except services.TransitionNotAllowed:
            messages.info(request, _("This application can no longer be withdrawn at this stage."))
        else:
            messages.success(request, _("You withdrew your application. The district will not review it."))
        return redirect(_detail_url(application))
    return render(request, "grants/withdraw_confirm.html", {"application": application})


# --- the steps ------------------------------------------------------------------------------


def _step_url(application, step: str) -> str:
    return reverse(f"grants:apply_{step}", args=[application.pk])


def _detail_url(application) -> str:
    return reverse("grants:application_detail", args=[application.pk])


def _next_url(request, application, step: str) -> str:
    if request.POST.get("go") == "next":
        return _step_url(application, STEP_NAMES[STEP_NAMES.index(step) + 1])
    return _step_url(application, step)


def _not_editable(request, application):
    """A redirect to the read-only page, with the reason, when the resident may no longer
    change the application (``Application.resident_edit_refusal``)."""
    refusal = application.resident_edit_refusal()
    if refusal is None:
        return None
    level = messages.error if refusal.code == "round_closed" else messages.info
    level(request, refusal.message)
    return redirect(_detail_url(application))


def _render_step(request, application, step: str, context: dict, *forms):
    errors = summarise_errors(*forms)
    index = STEP_NAMES.index(step)
    context.update(
        application=application,
        change_request=application.current_change_request(),
        steps=STEPS,
        step=step,
        step_number=index + 1,
        step_label=STEPS[index][1],
        step_count=len(STEPS),
        progress=round(100 * (index + 1) / len(STEPS)),
        previous_step=STEP_NAMES[index - 1] if index else None,
        error_summary=errors,
    )
    return render(request, f"grants/apply_{step}.html", context, status=400 if errors else 200)


def _saved(request, application, step: str):
    messages.success(request, _("Saved. You can come back and continue at any time, on any device."))
    return redirect(_next_url(request, application, step))


@login_required
@require_http_methods(["GET", "POST"])
def apply_project(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    if blocked := _not_editable(request, application):
        return blocked
    initial = {name: getattr(application, name) for name in services.PROJECT_FIELDS if name != "field"}
    initial["field"] = application.field_id
    form = ProjectForm(request.POST or None, initial=initial, round_=application.round)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_project(application=application, **form.cleaned_data)
        except services.NotEditable as error:
            messages.error(request, error.messages[0])
            return redirect(_detail_url(application))
        return _saved(request, application, "project")
    return _render_step(request, application, "project", {"form": form}, form)


@login_required
@require_http_methods(["GET", "POST"])
def apply_budget(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    if blocked := _not_editable(request, application):
        return blocked
    initial = list(application.budget_lines.values("category", "item", "amount", "source"))
    formset = BudgetFormSet(request.POST or None, initial=initial, prefix="lines", round_=application.round)
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_budget(application=application, lines=formset.lines())
        except services.NotEditable as error:
            messages.error(request, error.messages[0])
            return redirect(_detail_url(application))
        return _saved(request, application, "budget")
    return _render_step(request, application, "budget", {"formset": formset, "sources": BudgetLine.Source}, formset)


@login_required
@require_http_methods(["GET", "POST"])
def apply_documents(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    if blocked := _not_editable(request, application):
        return blocked
    is_xhr = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    attachments = list(application.attachments.all())
    missing = application.missing_document_kinds(attachments)
    # Offer the first document still needed, so the usual case needs no choice at all.
    initial = {"kind": missing[0]} if missing else {}
    form = AttachmentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                original_name=form.original_name,
                content_type=form.content_type,
                by=request.user,
            )
        except services.NotEditable as error:
            messages.error(request, error.messages[0])
            url = _detail_url(application)
            return JsonResponse({"redirect": url}) if is_xhr else redirect(url)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file was attached."))
            url = _step_url(application, "documents")
            return JsonResponse({"redirect": url}) if is_xhr else redirect(url)
    context = {
        "form": form,
        "attachments": attachments,
        "missing_kinds": [Attachment.Kind(kind).label for kind in missing],
        "max_files": uploads.MAX_FILES,
        "max_bytes": uploads.MAX_BYTES,
        "can_add": len(attachments) < uploads.MAX_FILES,
    }
    return _render_step(request, application, "documents", context, form)


@login_required
@require_POST
def delete_attachment(request, pk, attachment_pk):
    application = selectors.application_for_representative(request.user, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_pk)
    attachment.application = application
    try:
        services.delete_attachment(attachment=attachment)
    except services.NotEditable as error:
        messages.error(request, error.messages[0])
        return redirect(_detail_url(application))
    messages.success(request, _("The file was removed."))
    return redirect(_step_url(application, "documents"))


@login_required
@require_http_methods(["GET", "POST"])
def apply_consent(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    if blocked := _not_editable(request, application):
        return blocked
    given = {consent.kind: consent for consent in application.consents.all()}
    initial = {
        f"consent_{kind}": ConsentForm.YES if consent.granted else ConsentForm.NO for kind, consent in given.items()
    }
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consents(application=application, answers=form.answers(), by=request.user)
        except services.NotEditable as error:
            messages.error(request, error.messages[0])
            return redirect(_detail_url(application))
        return _saved(request, application, "consent")
    texts = [(text, form[f"consent_{text.kind}"]) for text in CONSENT_TEXTS]
    return _render_step(request, application, "consent", {"form": form, "texts": texts}, form)


def _summary_context(application) -> dict:
    budget_lines = list(application.budget_lines.all())
    attachments = list(application.attachments.all())
    consents_by_kind = {consent.kind: consent for consent in application.consents.all()}
    subsidy = sum(line.amount for line in budget_lines if line.source == BudgetLine.Source.SUBSIDY)
    own = sum(line.amount for line in budget_lines if line.source == BudgetLine.Source.SELF)
    editable = application.resident_can_edit
    problems = []
    if editable:
        problems = selectors.submission_problems(
            application, budget_lines=budget_lines, attachments=attachments, consents_by_kind=consents_by_kind
        )
    return {
        "application": application,
        "change_request": application.current_change_request(),
        "budget_lines": budget_lines,
        "attachments": attachments,
        "consents": [(text, consents_by_kind.get(text.kind)) for text in CONSENT_TEXTS],
        "subsidy_total": subsidy,
        "self_total": own,
        "project_total": subsidy + own,
        "self_percent": self_contribution_share(own=own, total=subsidy + own),
        "problems": problems,
        "round_open": application.round.is_open(),
        "editable": editable,
    }


@login_required
@require_http_methods(["GET", "POST"])
def apply_review(request, pk):
    application = selectors.application_for_representative(request.user, pk)
    if request.method == "POST":
        try:
            services.submit_application(application=application, by=request.user)
        except services.AlreadySubmitted:
            messages.info(request, _("This application has already been submitted."))
            return redirect(_detail_url(application))
        except services.NotEditable as error:
            messages.error(request, error.messages[0])
            return redirect(_detail_url(application))
        except ValidationError:
            messages.error(request, _("Some parts are not finished yet. See the list below."))
            return redirect(_step_url(application, "review"))
        messages.success(request, _("Your application was submitted. A receipt is on its way to your email."))
        return redirect(_detail_url(application))
    if blocked := _not_editable(request, application):
        return blocked
    return _render_step(request, application, "review", _summary_context(application))


# --- downloads ------------------------------------------------------------------------------


@login_required
@require_GET
def download_attachment(request, pk, attachment_pk):
    """The file as a download, for whoever ``grants.access.can_read_document`` allows (404 for
    anyone else, so outsiders cannot tell a document exists); the read is logged."""
    attachment = access.document_queryset().filter(pk=attachment_pk, application_id=pk).first()
    if attachment is None or not access.can_read_document(request.user, attachment):
        raise Http404
    return access.serve_document(user=request.user, attachment=attachment)


@login_required
@require_GET
def letter(request, pk, kind):
    """An official letter of the resident's own application as PDF (``grants.letters``); the
    decision notices only once the decision is released."""
    from django.http import HttpResponse

    application = selectors.application_for_representative(request.user, pk)
    if kind not in letters.available_kinds(application, staff=False):
        raise Http404
    application = letters.letters_queryset().get(pk=application.pk)
    response = HttpResponse(letters.render_pdf([(application, kind)]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.filename(application, kind)}"'
    return response
