"""Staff's side of funded projects: the settlement queue (waiting for me, overdue, to return),
each project's workspace (confirm the plan, countersign, pay instalments, review every
expense, decide the settlement, record the return, reduce or cancel the award), and the
round's rules, categories and grant conditions as data.

The admin is a client of ``projects.services`` like any view: every guarded field is
read-only here and every act is a POST to ``act`` below.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessLog
from accounts.services import access_record
from grants.forms import MAX_AMOUNT, AmountField
from grants.models import GrantRound
from projects import exports, money, selectors, services, workflow
from projects import reports as project_reports
from projects.models import (
    BudgetCategory,
    Disbursement,
    Expense,
    GrantConditions,
    PlanVersion,
    Project,
    ProjectReport,
    ProjectRules,
    Settlement,
)

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _download(content: bytes, name: str, export_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[export_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def krw(value) -> str:
    return "—" if value is None else intcomma(value)


@admin.register(ProjectRules)
class ProjectRulesAdmin(admin.ModelAdmin):
    list_display = ["round", "period_start", "period_end", "max_instalments", "plan_change_threshold_percent"]


@admin.register(BudgetCategory)
class BudgetCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "key", "subsidy_code", "subsidy_allowed", "is_instructor_fee", "is_meal", "order"]
    list_editable = ["subsidy_code", "subsidy_allowed", "order"]
    list_filter = ["round"]


class GrantConditionsForm(forms.ModelForm):
    class Meta:
        model = GrantConditions
        fields = ["round", "text"]


@admin.register(GrantConditions)
class GrantConditionsAdmin(admin.ModelAdmin):
    """Conditions are versioned: adding publishes a new version; a version, once written, stays."""

    form = GrantConditionsForm
    list_display = ["round", "version", "created_by", "created_at"]
    list_filter = ["round"]

    def get_readonly_fields(self, request, obj=None):
        return ["round", "text", "version", "created_by", "created_at"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = services.conditions_publish(round_=obj.round, text=obj.text, by=request.user)
        obj.pk, obj.version = created.pk, created.version


class QueueFilter(admin.SimpleListFilter):
    title = gettext_lazy("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting for me")),
            ("overdue", _("Settlement overdue")),
            ("return", _("Return due")),
            ("recover", _("To recover")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "waiting":
            return queryset.waiting_for_staff()
        if value == "overdue":
            return queryset.settlement_overdue(timezone.localdate())
        if value == "return":
            return queryset.filter(status=workflow.RETURN_DUE)
        if value == "recover":
            return queryset.filter(recovery_due__gt=0)
        return queryset


class StaffNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)


class PayForm(forms.Form):
    disbursement = forms.IntegerField()
    paid_on = forms.DateField()
    note = forms.CharField(required=False, max_length=2000)


class ReviewForm(forms.Form):
    expense = forms.IntegerField()
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("disallow", "disallow")])
    reason = forms.CharField(required=False, max_length=2000)


class PlanDecisionForm(forms.Form):
    version = forms.IntegerField()
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("refuse", "refuse")])
    note = forms.CharField(required=False, max_length=2000)


class ReturnForm(forms.Form):
    amount = AmountField(min_value=0, max_value=MAX_AMOUNT)
    returned_on = forms.DateField()


class AwardChangeForm(forms.Form):
    new_amount = AmountField(min_value=0, max_value=MAX_AMOUNT)
    reason = forms.CharField(max_length=2000)


def _refuse(project, d, by):
    disbursement = get_object_or_404(Disbursement, pk=d["disbursement"], project=project)
    return services.disbursement_refuse(disbursement=disbursement, by=by, note=d["note"])


ACTIONS = {
    # action: (form, service call, success message)
    "plan": (
        PlanDecisionForm,
        lambda p, d, by: services.plan_decide(
            version=get_object_or_404(PlanVersion, pk=d["version"], project=p),
            approve=d["decision"] == "confirm",
            by=by,
            note=d["note"],
        ),
        gettext_lazy("The plan decision was recorded."),
    ),
    "countersign": (
        StaffNoteForm,
        lambda p, d, by: services.agreement_countersign(project=p, by=by),
        gettext_lazy("The agreement is countersigned; the project is under way."),
    ),
    "pay": (
        PayForm,
        lambda p, d, by: services.disbursement_pay(
            disbursement=get_object_or_404(Disbursement, pk=d["disbursement"], project=p),
            by=by,
            paid_on=d["paid_on"],
            note=d["note"],
        ),
        gettext_lazy("The payment was recorded."),
    ),
    "refuse_payment": (PayForm, _refuse, gettext_lazy("The request was refused.")),
    "review": (
        ReviewForm,
        lambda p, d, by: services.expense_review(
            expense=get_object_or_404(Expense, pk=d["expense"], project=p),
            accepted=d["decision"] == "accept",
            by=by,
            reason=d["reason"],
        ),
        gettext_lazy("The expense review was recorded."),
    ),
    "corrections": (
        StaffNoteForm,
        lambda p, d, by: services.settlement_request_corrections(project=p, by=by, note=d["note"]),
        gettext_lazy("The group was asked for corrections."),
    ),
    "decide": (
        StaffNoteForm,
        lambda p, d, by: services.settlement_decide(project=p, by=by, note=d["note"]),
        gettext_lazy("The settlement is decided."),
    ),
    "return": (
        ReturnForm,
        lambda p, d, by: services.settlement_record_return(
            project=p, amount=d["amount"], returned_on=d["returned_on"], by=by
        ),
        gettext_lazy("The return was recorded; the project is closed."),
    ),
    "award": (
        AwardChangeForm,
        lambda p, d, by: services.award_change(project=p, new_amount=d["new_amount"], reason=d["reason"], by=by),
        gettext_lazy("The award was changed and the money went back to the round."),
    ),
}


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "group",
        "status_display",
        "award_display",
        "disbursed_display",
        "spent_display",
        "waiting_display",
        "return_display",
    ]
    list_filter = [QueueFilter, "status", "application__round", "application__field"]
    search_fields = ["application__title", "application__group__name"]
    list_select_related = ["application__group", "application__round", "settlement"]
    list_per_page = 50
    readonly_fields = [
        "application",
        "status",
        "award",
        "original_award",
        "disbursed_total",
        "subsidy_spent",
        "self_spent",
        "recovery_due",
        "opened_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                requested_payment=Exists(
                    Disbursement.objects.filter(project=OuterRef("pk"), status=Disbursement.Status.REQUESTED)
                ),
                plan_waiting=Exists(
                    PlanVersion.objects.filter(project=OuterRef("pk"), status=PlanVersion.Status.SUBMITTED)
                ),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # every act goes through the workspace's services

    @admin.display(description=gettext_lazy("group"), ordering="application__group__name")
    def group(self, obj):
        return obj.application.group.name

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_display(self, obj):
        return workflow.PHASES[obj.status].staff_label

    @admin.display(description=gettext_lazy("award (KRW)"), ordering="award")
    def award_display(self, obj):
        return krw(obj.award)

    @admin.display(description=gettext_lazy("disbursed (KRW)"), ordering="disbursed_total")
    def disbursed_display(self, obj):
        return krw(obj.disbursed_total)

    @admin.display(description=gettext_lazy("subsidy spent (KRW)"), ordering="subsidy_spent")
    def spent_display(self, obj):
        return f"{krw(obj.subsidy_spent)} ({money.percent(obj.subsidy_spent, obj.award)}%)"

    @admin.display(description=gettext_lazy("waiting for me"))
    def waiting_display(self, obj):
        reasons = []
        if obj.plan_waiting:
            reasons.append(_("plan"))
        if obj.requested_payment:
            reasons.append(_("payment"))
        if obj.status == workflow.SETTLEMENT_SUBMITTED:
            reasons.append(_("settlement"))
        return ", ".join(reasons) or "—"

    @admin.display(description=gettext_lazy("to return (KRW)"))
    def return_display(self, obj):
        settlement = getattr(obj, "settlement", None)
        due = settlement.return_amount if settlement and settlement.returned_on is None else None
        if obj.recovery_due and obj.status == workflow.CANCELLED:
            due = obj.recovery_due
        return krw(due) if due else "—"

    # --- the workspace

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/act/<str:action>/", wrap(self.act), name="projects_project_act"),
            path("<int:object_id>/account/", wrap(self.account), name="projects_project_account"),
            path(
                "<int:object_id>/settlement.<str:export_format>",
                wrap(self.export_settlement),
                name="projects_project_settlement_export",
            ),
            path(
                "round/<int:round_id>/summary.<str:export_format>",
                wrap(self.export_summary),
                name="projects_project_summary_export",
            ),
            *super().get_urls(),
        ]

    def _project(self, request, object_id) -> Project:
        project = get_object_or_404(Project.objects.with_list_relations(), pk=object_id)
        if not self.has_view_permission(request, project):
            raise PermissionDenied
        return project

    def change_view(self, request, object_id, form_url="", extra_context=None):
        project = self._project(request, object_id)
        extra_context = {**(extra_context or {}), **self.workspace_context(project)}
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def workspace_context(self, project) -> dict:
        expenses = list(project.expenses.select_related("category", "reviewed_by").order_by("spent_on", "id"))
        settlement = Settlement.objects.filter(project=project).first()
        agreement = getattr(project, "agreement", None)
        return {
            "project": project,
            "phase": workflow.PHASES[project.status],
            "plan_versions": list(project.plan_versions.prefetch_related("lines__category").order_by("-number")),
            "agreement": agreement,
            "masked_number": services.masked_account_number(agreement.account_number) if agreement else "",
            "disbursements": list(project.disbursements.order_by("number")),
            "expenses": expenses,
            "totals": selectors.ledger_totals(project),
            "settlement": settlement,
            "award_changes": list(project.award_changes.select_related("by")),
            "status_changes": list(project.status_changes.select_related("by")),
            "today": timezone.localdate(),
            "preview_return": money.subsidy_to_return(
                disbursed=project.disbursed_total,
                accepted_subsidy=sum(
                    e.amount
                    for e in expenses
                    if e.source == Expense.Source.SUBSIDY and e.review == Expense.Review.ACCEPTED
                ),
                interest=settlement.interest if settlement else 0,
                award=project.award,
            ),
            "can_review": project.status == workflow.SETTLEMENT_SUBMITTED,
        }

    def act(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        project = self._project(request, object_id)
        if action not in ACTIONS:
            raise PermissionDenied
        form_class, call, success = ACTIONS[action]
        form = form_class(request.POST)
        url = reverse("admin:projects_project_change", args=[project.pk])
        if not form.is_valid():
            messages.error(request, " ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items()))
            return HttpResponseRedirect(url)
        try:
            call(project, form.cleaned_data, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
        return HttpResponseRedirect(url)

    def export_settlement(self, request, object_id, export_format):
        """One project's settlement sheet (xlsx or csv); the export is logged."""
        project = self._project(request, object_id)
        if export_format not in FORMATS:
            raise Http404
        content = exports.settlement_sheet(project=project, export_format=export_format)
        access_record(
            user=request.user,
            action=AccessLog.Action.EXPORT,
            subject=project,
            person=project.application.group.representative_id,
            detail="settlement sheet",
        )
        return _download(content, exports.filename(f"settlement-{project.pk}", export_format), export_format)

    def export_summary(self, request, round_id, export_format):
        """The round's summary: awarded, disbursed, spent by source, disallowed, to return, returned."""
        if not self.has_view_permission(request) or export_format not in FORMATS:
            raise Http404
        round_ = get_object_or_404(GrantRound, pk=round_id)
        content = exports.round_summary(round_=round_, export_format=export_format)
        access_record(user=request.user, action=AccessLog.Action.EXPORT, subject=round_, detail="project summary")
        return _download(content, exports.filename(f"projects-{round_.year}", export_format), export_format)

    def changelist_view(self, request, extra_context=None):
        round_id = request.GET.get("application__round__id__exact")
        extra_context = {**(extra_context or {}), "summary_round": round_id if (round_id or "").isdigit() else None}
        return super().changelist_view(request, extra_context=extra_context)

    def account(self, request, object_id):
        """The full bank account: staff only, every view in the access log."""
        project = self._project(request, object_id)
        account = services.bank_account_view(project=project, user=request.user)
        context = {**self.admin_site.each_context(request), "project": project, "account": account}
        return TemplateResponse(request, "admin/projects/project/account.html", context)


class ReportReviewForm(forms.ModelForm):
    """Staff decide a submitted report; every other field is read-only (writes go through the services)."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        required=False,
        choices=[("", "—"), ("accept", gettext_lazy("Accept")), ("return", gettext_lazy("Return for changes"))],
    )
    review_note = forms.CharField(
        label=gettext_lazy("Note to the group"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = ProjectReport
        fields = []

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision and self.instance.status != ProjectReport.Status.SUBMITTED:
            raise forms.ValidationError(_("Only a submitted report can be accepted or returned."))
        if decision == "return" and not (cleaned.get("review_note") or "").strip():
            self.add_error("review_note", _("Say what the group should change."))
        return cleaned


@admin.register(ProjectReport)
class ProjectReportAdmin(admin.ModelAdmin):
    form = ReportReviewForm
    list_display = ["project", "kind", "status", "submitted_at", "reviewed_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["project__application__group"]
    readonly_fields = [
        "project",
        "kind",
        "status",
        "done_against_plan",
        "activities_held",
        "residents_taking_part",
        "would_change",
        "staff_note",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
    ]
    fields = [*readonly_fields, "decision", "review_note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        note = form.cleaned_data.get("review_note", "")
        if decision == "accept":
            project_reports.report_accept(report=obj, by=request.user, note=note)
        elif decision == "return":
            project_reports.report_return(report=obj, note=note, by=request.user)

    def save_related(self, request, form, formsets, change):
        pass
