"""The group's forms for its project: plan lines, agreement, instalment, expense, settlement."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from grants import uploads
from grants.forms import MAX_AMOUNT, AmountField
from projects.models import BudgetCategory, Expense, PlanLine, ProjectReport


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PlanLineForm(forms.Form):
    category = CategoryChoiceField(label=_("Category"), queryset=BudgetCategory.objects.none(), empty_label=None)
    item = forms.CharField(label=_("What it pays for"), max_length=200)
    amount = AmountField(label=_("Amount (KRW)"), min_value=1, max_value=MAX_AMOUNT)
    source = forms.ChoiceField(
        label=_("Paid by"), choices=PlanLine.Source.choices, widget=forms.Select(attrs={"data-source": ""})
    )

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else BudgetCategory.objects.none()

    def is_blank(self) -> bool:
        return not any(str(self.data.get(self.add_prefix(name), "")).strip() for name in ("item", "amount"))

    def full_clean(self):
        # A line with nothing written on it is neither saved nor checked (the selects always send a value).
        if self.is_bound and self.is_blank():
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()


class BasePlanFormSet(forms.BaseFormSet):
    def __init__(self, *args, categories=None, **kwargs):
        self.categories = categories
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"categories": self.categories}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), categories=self.categories)
        self.add_fields(form, None)
        return form

    def lines(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.is_valid() and not form.is_blank() and not form.cleaned_data.get("DELETE")
        ]


PlanFormSet = forms.formset_factory(PlanLineForm, formset=BasePlanFormSet, extra=1, can_delete=True, max_num=50)


class PlanReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plan changes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when more than the round's threshold moves between categories."),
    )


class AgreementForm(forms.Form):
    conditions_version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(label=_("I have read the grant conditions and accept them for the group."))
    self_contribution_confirmed = forms.BooleanField(label=_("The group's self-contribution is secured."))
    bank_name = forms.CharField(label=_("Bank"), max_length=50)
    account_holder = forms.CharField(
        label=_("Account holder"), max_length=100, help_text=_("The group's account, in the group's name.")
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class DisbursementRequestForm(forms.Form):
    amount = AmountField(label=_("Amount to request (KRW)"), min_value=1, max_value=MAX_AMOUNT)


class ExpenseForm(forms.ModelForm):
    amount = AmountField(label=_("Amount (KRW)"), min_value=1, max_value=MAX_AMOUNT)
    category = CategoryChoiceField(label=_("Budget category"), queryset=BudgetCategory.objects.none(), empty_label=None)
    evidence_file = forms.FileField(
        label=_("Photo or PDF of the slip, invoice or receipt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf", "capture": "environment"}),
    )

    class Meta:
        model = Expense
        fields = [
            "spent_on",
            "category",
            "source",
            "payee",
            "purpose",
            "amount",
            "method",
            "hours",
            "headcount",
            "evidence_kind",
        ]
        widgets = {
            "spent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source": forms.RadioSelect,
            "method": forms.RadioSelect,
            "hours": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "headcount": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else BudgetCategory.objects.none()
        self.fields["category"].widget.attrs["data-category"] = ""
        # Radio buttons without the empty "---------" choice a model field adds.
        self.fields["source"].choices = Expense.Source.choices
        self.fields["method"].choices = Expense.Method.choices

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            uploads.check_upload(upload)
        return upload

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ExpenseAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the district"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettlementForm(forms.Form):
    interest = AmountField(
        label=_("Interest the subsidy earned (KRW)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=_("From the account's statement; 0 if none."),
    )
    note = forms.CharField(
        label=_("Note to the district"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("Every expense is recorded with its evidence."))


class ReportForm(forms.ModelForm):
    class Meta:
        model = ProjectReport
        fields = ["done_against_plan", "activities_held", "residents_taking_part", "would_change"]
        widgets = {
            "done_against_plan": forms.Textarea(attrs={"rows": 4}),
            "activities_held": forms.Textarea(attrs={"rows": 4}),
            "would_change": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "done_against_plan": _("Compare what you planned with what happened."),
            "residents_taking_part": _("How many residents took part, counting each person once."),
        }
