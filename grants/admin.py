"""The district staff's admin (주민자치과): the round, its applications, screening, reviews,
decisions, the budget and exports.

Other apps may contribute to the application page without grants importing them:
``ApplicationAdmin.inlines`` is a list that a higher app (``mentors``) may append an inline
to in its ``AppConfig.ready()``, and ``ApplicationAdmin.extra_panels`` is a list of callables
``(request, application) -> SafeString | None`` (``render_to_string`` or ``format_html``)
whose HTML is shown read-only under the decision panel, e.g. the mentor's coaching visits
for the application's group:

    # mentors/apps.py, in MentorsConfig.ready()
    from grants.admin import ApplicationAdmin
    ApplicationAdmin.extra_panels.append(mentors.admin_panels.visits_panel)
"""

from functools import partial, update_wrapper

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import AccessLoggedAdminMixin
from accounts.models import AccessLog
from accounts.services import access_record
from grants import admin_views, budget, letters, reviewing, roles, screening, services, workflow
from grants.admin_forms import ExportForm
from grants.models import (
    Application,
    Attachment,
    BudgetLine,
    Consent,
    Criterion,
    EligibilityOverride,
    ExportJob,
    Field,
    FieldEnvelope,
    GrantRound,
    Review,
    ReviewerAssignment,
    StatusChange,
)

# The admin index shows the budget panel above the app list (default admin site, own template).
admin.site.index_template = "admin/grants/index.html"


def krw(value) -> str:
    return "—" if value is None else f"{intcomma(value)}"


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


def fields_except_totals(model) -> list[str]:
    """Every column but the awarded totals, which only ``application_approve`` writes (with a
    conditional UPDATE): saving a form must never write back a total it read earlier."""
    return [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "awarded_total"]


class GrantRoundForm(forms.ModelForm):
    class Meta:
        model = GrantRound
        fields = [
            "district",
            "year",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "budget",
            "target_groups",
            "min_group_size",
            "max_per_group",
            "min_self_contribution_percent",
            "draft_reminder_days",
            "changes_reminder_after_days",
            "review_waiting_days",
            "visit_overdue_days",
        ]

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if self.instance.pk:
            awarded = GrantRound.objects.values_list("awarded_total", flat=True).get(pk=self.instance.pk)
            if budget < awarded:
                raise forms.ValidationError(
                    _("The budget cannot be less than the %(awarded)s KRW already awarded.") % {"awarded": krw(awarded)}
                )
        return budget


class FieldEnvelopeForm(forms.ModelForm):
    class Meta:
        model = FieldEnvelope
        fields = ["field", "amount"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        awarded = self.instance.awarded_total if self.instance.pk else 0
        if amount is not None and amount < awarded:
            raise forms.ValidationError(
                _("The envelope cannot be less than the %(awarded)s KRW already awarded.") % {"awarded": krw(awarded)}
            )
        return amount


class FieldEnvelopeFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.awarded_total:
                raise forms.ValidationError(_("A field with awards cannot be removed from the round."))


class FieldEnvelopeInline(admin.TabularInline):
    model = FieldEnvelope
    form = FieldEnvelopeForm
    formset = FieldEnvelopeFormSet
    extra = 0
    readonly_fields = ["awarded_total"]
    autocomplete_fields = ["field"]


class CriterionInline(admin.TabularInline):
    """The round's scoring rubric, edited on the round."""

    model = Criterion
    extra = 0
    fields = ["order", "name", "weight", "max_score", "description"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


@admin.register(GrantRound)
class GrantRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "opens_at", "closes_at", "budget_display", "awarded_display", "target_groups"]
    list_filter = ["district", "year"]
    search_fields = ["title"]
    form = GrantRoundForm
    inlines = [FieldEnvelopeInline, CriterionInline]
    change_form_template = "admin/grants/grantround/change_form.html"

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=fields_except_totals(GrantRound))
        else:
            obj.save()

    def save_formset(self, request, form, formset, change):
        if formset.model is not FieldEnvelope:
            return super().save_formset(request, form, formset, change)
        for envelope in formset.save(commit=False):
            if envelope.pk:
                envelope.save(update_fields=fields_except_totals(FieldEnvelope))
            else:
                envelope.save()
        for envelope in formset.deleted_objects:
            envelope.delete()
        return None

    @admin.display(description=_("budget (KRW)"), ordering="budget")
    def budget_display(self, obj):
        return krw(obj.budget)

    @admin.display(description=_("awarded so far (KRW)"), ordering="awarded_total")
    def awarded_display(self, obj):
        return krw(obj.awarded_total)

    def get_urls(self):
        view = self.admin_site.admin_view(partial(admin_views.publish_results, model_admin=self))
        return [
            path("<int:object_id>/publish/", view, name="grants_grantround_publish"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round_ = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        if round_ is not None:
            extra_context["budget_summary"] = budget.round_summary(round_)
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    select_related: tuple[str, ...] = ()  # the people each row names, fetched in the same query

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["category", "item", "source", "amount_display"]
    readonly_fields = fields

    @admin.display(description=_("amount (KRW)"))
    def amount_display(self, obj):
        return krw(obj.amount)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "download", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:grants_attachment_download", args=[obj.pk])
        return format_html('<a href="{}" data-testid="attachment-download">{}</a>', url, obj.original_name)


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = ["kind", "granted", "text_version", "recorded_by", "recorded_at"]
    readonly_fields = fields
    select_related = ("recorded_by",)


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    select_related = ("by",)


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ["reviewer", "conflict_of_interest", "conflict_note", "weighted_score", "comment", "scored_at"]
    readonly_fields = fields
    select_related = ("reviewer",)

    def get_queryset(self, request):
        # A reviewer reads the others' reviews only once their own is saved
        # (grants.reviewing.reviews_visible_to is the same rule for one application).
        queryset = super().get_queryset(request)
        if not roles.reviewer_scope(request.user):
            return queryset
        own_done = Review.objects.filter(application=OuterRef("application"), reviewer=request.user).exclude(
            weighted_score__isnull=True, conflict_of_interest=False
        )
        return queryset.filter(Q(reviewer=request.user) | Q(Exists(own_done)))


class ReviewerAssignmentInline(ReadOnlyInline):
    model = ReviewerAssignment
    fields = ["reviewer", "assigned_by", "assigned_at"]
    readonly_fields = fields
    select_related = ("reviewer", "assigned_by")
    verbose_name_plural = _("assigned reviewers")


class EligibilityOverrideInline(ReadOnlyInline):
    model = EligibilityOverride
    fields = ["criterion", "passed", "reason", "by", "at"]
    readonly_fields = fields
    select_related = ("by",)


def admin_search_words(search_term: str) -> list[str]:
    """The words of an admin search box, split as Django's admin splits them (quotes keep a
    phrase together)."""
    words = []
    for word in smart_split(search_term):
        if word.startswith(('"', "'")) and len(word) > 1 and word[0] == word[-1]:
            word = unescape_string_literal(word)
        if word:
            words.append(word)
    return words


@admin.register(Application)
class ApplicationAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    access_person_attr = "group.representative_id"
    list_display = [
        "title_display",
        "group",
        "dong",
        "field",
        "requested_display",
        "awarded_display",
        "status",
        "average_score_display",
        "mentor_display",
        "submitted_date",
    ]
    list_display_links = ["title_display"]
    list_filter = ["round", "field", "group__dong", "group__dong__region", "status", "group__kind"]
    list_select_related = ["group", "group__dong", "round", "field"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-submitted_at", "-id"]  # matches application_default_order_idx
    search_fields = ["title", "group__name", "group__representative__name"]
    search_help_text = _("Search by group, project title or representative.")
    autocomplete_fields = ["group", "round", "field"]
    fieldsets = [
        (None, {"fields": ["group", "representative", "participants", "round", "field", "status", "title", "summary"]}),
        (
            _("Project"),
            {"fields": ["purpose", "plan", "schedule", "expected_outcomes", "resident_participation"]},
        ),
        (
            _("Money and decision"),
            {"fields": ["requested_display", "awarded_display", "decision_note", "submitted_at", "decided_at"]},
        ),
    ]
    readonly_fields = [
        "group",
        "representative",
        "participants",
        "round",
        "field",
        "status",
        "title",
        "summary",
        "purpose",
        "plan",
        "schedule",
        "expected_outcomes",
        "resident_participation",
        "requested_display",
        "awarded_display",
        "decision_note",
        "submitted_at",
        "decided_at",
    ]
    # A list other apps may append to in their AppConfig.ready() (see the module docstring).
    inlines = [
        BudgetLineInline,
        AttachmentInline,
        ConsentInline,
        StatusChangeInline,
        EligibilityOverrideInline,
        ReviewInline,
    ]
    extra_panels = []
    actions = [
        "start_screening_selected",
        "send_to_review_selected",
        "request_changes_selected",
        "assign_reviewer_selected",
        "approve_selected",
        "reject_selected",
        "print_decision_letters_selected",
        "print_applications_selected",
    ]
    # What a reviewer (``roles.reviewer_scope``) is shown: what the committee consent covers.
    reviewer_hidden_columns = ["awarded_display", "average_score_display", "mentor_display"]
    reviewer_hidden_fields = ["representative"]
    change_form_template = "admin/grants/application/change_form.html"
    change_list_template = "admin/grants/application/change_list.html"

    # --- querysets and columns -------------------------------------------------------

    def get_queryset(self, request):
        # The round's mentor comes over the reverse relation that mentors.Assignment declares
        # (one per group and round, so no duplicate rows); grants never imports mentors.
        # A reviewer gets only their assignments in review (grants.reviewing).
        queryset = reviewing.scope_for_reviewer(super().get_queryset(request), request.user)
        return (
            queryset
            # Set here in full: the changelist skips list_select_related once a queryset has any.
            .select_related("group__dong", "group__representative", "round", "field").annotate(
                round_assignment=FilteredRelation(
                    "group__mentor_assignments", condition=Q(group__mentor_assignments__round=F("round"))
                ),
                mentor_name=F("round_assignment__mentor__user__name"),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """The same search as ``search_fields`` (every word must match the title, the group's
        name or the representative's name), written so each part uses its own trigram index:
        per word, the ids matching any of the three are a union of three indexed lookups, and
        the page and its count filter by those ids instead of scanning the round's rows."""
        for word in admin_search_words(search_term):
            matching = (
                Application.objects.filter(title__icontains=word)
                .values("pk")
                .union(
                    Application.objects.filter(group__name__icontains=word).values("pk"),
                    Application.objects.filter(group__representative__name__icontains=word).values("pk"),
                )
            )
            queryset = queryset.filter(pk__in=matching)
        return queryset, False

    @admin.display(description=_("project title"), ordering="title")
    def title_display(self, obj):
        return obj.title or _("(untitled)")

    @admin.display(description=_("dong"), ordering="group__dong__name")
    def dong(self, obj):
        return obj.group.dong.name

    @admin.display(description=_("requested (KRW)"), ordering="requested_amount")
    def requested_display(self, obj):
        return krw(obj.requested_amount)

    @admin.display(description=_("awarded (KRW)"), ordering="awarded_amount")
    def awarded_display(self, obj):
        return krw(obj.awarded_amount)

    @admin.display(description=_("average score"), ordering="average_score")
    def average_score_display(self, obj):
        return "—" if obj.average_score is None else f"{obj.average_score:.1f}"

    @admin.display(description=_("mentor"), ordering="mentor_name")
    def mentor_display(self, obj):
        return obj.mentor_name or "—"

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_date(self, obj):
        return date_format(timezone.localtime(obj.submitted_at), "Y-m-d") if obj.submitted_at else "—"

    @admin.display(description=_("representative"))
    def representative(self, obj):
        user = obj.group.representative
        return f"{user.name} · {user.email} · {user.phone}"

    @admin.display(description=_("participants"))
    def participants(self, obj):
        members = obj.group.members.all()
        return ", ".join(f"{m.name} ({m.role})" if m.role else m.name for m in members) or "—"

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if roles.reviewer_scope(request.user):
            columns = [c for c in columns if c not in self.reviewer_hidden_columns]
        return columns

    def get_inlines(self, request, obj):
        if roles.reviewer_scope(request.user):
            return [BudgetLineInline, ReviewInline]
        return [*self.inlines, ReviewerAssignmentInline]

    def get_fieldsets(self, request, obj=None):
        if roles.reviewer_scope(request.user):
            return [
                (title, {**options, "fields": [f for f in options["fields"] if f not in self.reviewer_hidden_fields]})
                for title, options in self.fieldsets
            ]
        # Read-only fields other apps contribute (mentors adds the group's coaching visits)
        # get a section of their own, since explicit fieldsets would otherwise hide them.
        fieldsets = list(super().get_fieldsets(request, obj))
        listed = {name for _title, options in fieldsets for name in options["fields"]}
        contributed = [name for name in self.get_readonly_fields(request, obj) if name not in listed]
        if contributed:
            fieldsets.append((_("Support and follow-up"), {"fields": contributed}))
        return fieldsets

    # --- permissions -----------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # residents apply on the site

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a round is kept

    def save_model(self, request, obj, form, change):
        # Every field is read-only here: changes go through the decision services, and a full
        # save of the row loaded for this request could undo a concurrent status change.
        return None

    def has_decide_permission(self, request):
        return request.user.has_perm(admin_views.DECIDE_PERMISSION)

    def history_view(self, request, object_id, extra_context=None):
        if roles.reviewer_scope(request.user):
            raise PermissionDenied  # the staff's own log of changes is not the committee's
        return super().history_view(request, object_id, extra_context=extra_context)

    def has_export_permission(self, request):
        """Exports, the ranking and documents are for staff, never for reviewers."""
        return self.has_view_permission(request) and not roles.reviewer_scope(request.user)

    # --- pages -----------------------------------------------------------------------

    def get_urls(self):
        def wrap(view, **kwargs):
            wrapper = self.admin_site.admin_view(partial(view, model_admin=self, **kwargs))
            return update_wrapper(wrapper, view)

        return [
            path("ranking/", wrap(admin_views.ranking), name="grants_application_ranking"),
            path("ranking/export/", wrap(admin_views.committee_export), name="grants_application_committee_export"),
            path("export/", wrap(admin_views.export), name="grants_application_export"),
            path(
                "attachment/<int:attachment_id>/download/",
                wrap(admin_views.attachment_download),
                name="grants_attachment_download",
            ),
            path(
                "<int:object_id>/decide/<str:action>/",
                wrap(admin_views.decide),
                name="grants_application_decide",
            ),
            path(
                "<int:object_id>/eligibility/",
                wrap(admin_views.override_eligibility),
                name="grants_application_eligibility",
            ),
            path("<int:object_id>/score/", wrap(admin_views.score), name="grants_application_score"),
            path("<int:object_id>/letter/<str:kind>/", wrap(admin_views.letter), name="grants_application_letter"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        can_export = self.has_export_permission(request)
        extra_context = {
            **(extra_context or {}),
            "export_form": ExportForm() if can_export else None,
            "can_export": can_export,
            "export_filters": request.GET.urlencode(),
        }
        if roles.reviewer_scope(request.user) and request.method == "GET":
            access_record(
                user=request.user, action=AccessLog.Action.VIEW, detail=f"application list {request.GET.urlencode()}"
            )
        return super().changelist_view(request, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        if application is None and roles.reviewer_scope(request.user):
            raise Http404  # not assigned to them, not in review, or not there at all
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        if application is not None and self.has_view_permission(request, application):
            extra_context.update(self.decision_context(request, application))
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def decision_context(self, request, application) -> dict:
        can_decide = self.has_decide_permission(request)
        targets = workflow.allowed_targets(application.status, workflow.STAFF) if can_decide else []
        actions = [
            {
                "action": admin_views.TARGET_ACTIONS[target],
                "label": admin_views.ACTION_LABELS[admin_views.TARGET_ACTIONS[target]],
            }
            for target in targets
            if target in admin_views.TARGET_ACTIONS
        ]
        show_checks = application.status in (workflow.SUBMITTED, workflow.SCREENING)
        checks = screening.eligibility_checks(application) if show_checks else []
        reviewer = roles.reviewer_scope(request.user)
        panels = [] if reviewer else [panel(request, application) for panel in self.extra_panels]
        return {
            "application": application,
            "decision_actions": actions,
            "can_decide": can_decide,
            "can_score": request.user.has_perm(admin_views.SCORE_PERMISSION)
            and application.status == workflow.IN_REVIEW,
            "eligibility_checks": checks,
            "override_choices": [(c.code, c.label) for c in checks],
            # Contributors return HTML they made safe (render_to_string, format_html); anything
            # else is escaped by the template.
            "extra_panels": [html for html in panels if html],
            "phase_label": workflow.PHASES[application.status].staff_label,
            "change_steps": StatusChange.Step.choices,
            "is_reviewer": reviewer,
            "can_export": self.has_export_permission(request),
            "letters": [(k, letters.KINDS[k]) for k in letters.available_kinds(application, staff=True)]
            if self.has_export_permission(request)
            else [],
            "suggested_conflicts": reviewing.suggested_conflicts(request.user, application) if reviewer else [],
        }

    # --- bulk decisions --------------------------------------------------------------

    def _bulk_page(self, request, queryset, *, action, title, field_label=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "action": action,
            "applications": queryset,
            "field_label": field_label,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/grants/application/bulk_decision.html", context)

    def _bulk_move(self, request, queryset, call, success_message):
        results = []
        for application in queryset.order_by("-submitted_at", "-id"):
            try:
                call(application)
            except ValidationError as error:
                results.append((application, " ".join(error.messages)))
            else:
                results.append((application, None))
        self._report(request, results, success_message)

    @admin.action(description=_("Start screening the selected applications"), permissions=["decide"])
    def start_screening_selected(self, request, queryset):
        self._bulk_move(
            request,
            queryset,
            lambda a: services.staff_transition(application=a, to_status=workflow.SCREENING, by=request.user),
            lambda n: ngettext(
                "%(count)d application is now in screening.", "%(count)d applications are now in screening.", n
            ),
        )

    @admin.action(description=_("Send the selected applications to review"), permissions=["decide"])
    def send_to_review_selected(self, request, queryset):
        self._bulk_move(
            request,
            queryset,
            lambda a: services.screening_pass(application=a, by=request.user),
            lambda n: ngettext("%(count)d application sent to review.", "%(count)d applications sent to review.", n),
        )

    @admin.action(
        description=_("Print the decision letters of the selected applications (PDF)"), permissions=["export"]
    )
    def print_decision_letters_selected(self, request, queryset):
        documents, skipped = [], []
        for application in queryset.order_by("field__order", "group__name"):
            kind = {workflow.APPROVED: letters.SELECTION, workflow.REJECTED: letters.NON_SELECTION}.get(
                application.status
            )
            (documents.append((application, kind)) if kind else skipped.append(application))
        for application in skipped:
            messages.warning(request, _("“%(title)s” has no decision yet: no letter.") % {"title": application})
        return admin_views.letters_response(request, documents) if documents else None

    @admin.action(description=_("Print the selected applications in full (PDF)"), permissions=["export"])
    def print_applications_selected(self, request, queryset):
        documents = [(a, letters.APPLICATION) for a in queryset.order_by("field__order", "group__name")]
        return admin_views.letters_response(request, documents)

    @admin.action(description=_("Assign a reviewer to selected applications…"), permissions=["decide"])
    def assign_reviewer_selected(self, request, queryset):
        queryset = queryset.order_by("-submitted_at", "-id")
        reviewers = roles.reviewers()
        if "apply" not in request.POST:
            return admin_views.assign_reviewer_page(self, request, queryset, reviewers)
        reviewer = reviewers.filter(pk=request.POST.get("reviewer") or None).first()
        if reviewer is None:
            messages.error(request, _("Choose a reviewer."))
            return admin_views.assign_reviewer_page(self, request, queryset, reviewers)
        results = services.reviewers_assign(reviewer=reviewer, applications=list(queryset), by=request.user)
        self._report(
            request,
            results,
            lambda n: ngettext(
                "%(count)d application assigned to the reviewer.", "%(count)d applications assigned to the reviewer.", n
            ),
        )
        return None

    @admin.action(description=_("Approve selected applications…"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        queryset = queryset.order_by("-submitted_at", "-id")
        if "apply" not in request.POST:
            return self._bulk_page(request, queryset, action="approve_selected", title=_("Approve applications"))
        awards = []
        for application in queryset:
            raw = request.POST.get(f"amount_{application.pk}", "").replace(",", "").strip()
            awards.append((application, int(raw) if raw.isdigit() else None))
        results = services.applications_approve_bulk(awards=awards, by=request.user)
        self._report(
            request,
            results,
            lambda n: ngettext("%(count)d application approved.", "%(count)d applications approved.", n),
        )
        return None

    @admin.action(description=_("Reject selected applications…"), permissions=["decide"])
    def reject_selected(self, request, queryset):
        return self._bulk_with_text(
            request,
            queryset,
            action="reject_selected",
            title=_("Reject applications"),
            field_label=_("Reason for the rejection"),
            call=lambda application, text: services.application_reject(
                application=application, reason=text, by=request.user
            ),
            success_message=lambda n: ngettext(
                "%(count)d application rejected.", "%(count)d applications rejected.", n
            ),
        )

    @admin.action(description=_("Ask for changes to selected applications…"), permissions=["decide"])
    def request_changes_selected(self, request, queryset):
        return self._bulk_with_text(
            request,
            queryset,
            action="request_changes_selected",
            title=_("Ask for changes"),
            field_label=_("What should the groups change?"),
            call=lambda application, text: services.application_request_changes(
                application=application, note=text, by=request.user
            ),
            success_message=lambda n: ngettext(
                "%(count)d application sent back for changes.", "%(count)d applications sent back for changes.", n
            ),
        )

    def _bulk_with_text(self, request, queryset, *, action, title, field_label, call, success_message):
        text = request.POST.get("text", "").strip()
        if "apply" not in request.POST or not text:
            if "apply" in request.POST:
                messages.error(request, _("This field is required."))
            return self._bulk_page(request, queryset, action=action, title=title, field_label=field_label)
        results = []
        for application in queryset:
            try:
                call(application, text)
            except ValidationError as error:
                results.append((application, " ".join(error.messages)))
            else:
                results.append((application, None))
        self._report(request, results, success_message)
        return None

    def _report(self, request, results, success_message):
        succeeded = [application for application, error in results if error is None]
        if succeeded:
            messages.success(request, success_message(len(succeeded)) % {"count": len(succeeded)})
        for application, error in results:
            if error is not None:
                messages.error(request, _("Refused “%(title)s”: %(reason)s") % {"title": application, "reason": error})


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "requested_by", "format", "status", "row_count", "download_link", "finished_at"]
    list_filter = ["status", "format"]
    list_select_related = ["requested_by"]
    readonly_fields = ["requested_by", "format", "filters", "status", "row_count", "error", "finished_at"]
    exclude = ["file"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(requested_by=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_staff and user.has_perm("grants.view_application") and not roles.reviewer_scope(user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if obj.status != ExportJob.Status.DONE:
            return "—"
        url = reverse("admin:grants_exportjob_download", args=[obj.pk])
        return format_html('<a href="{}" data-testid="export-download">{}</a>', url, _("Download"))

    def get_urls(self):
        view = self.admin_site.admin_view(partial(admin_views.export_download, model_admin=self))
        return [
            path("<int:job_id>/download/", view, name="grants_exportjob_download"),
            *super().get_urls(),
        ]
