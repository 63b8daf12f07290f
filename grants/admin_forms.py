"""Forms of the staff decision pages in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import EligibilityOverride, ExportJob, StatusChange


class ApproveForm(forms.Form):
    amount = forms.IntegerField(label=_("Awarded amount (KRW)"), min_value=1)
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 3}))


class RequestChangesForm(forms.Form):
    note = forms.CharField(label=_("What should the group change?"), widget=forms.Textarea(attrs={"rows": 3}))
    steps = forms.MultipleChoiceField(
        label=_("Which parts need work"),
        choices=StatusChange.Step.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    respond_by = forms.DateField(
        label=_("Changes due by (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Check"), choices=EligibilityOverride.Check.choices)
    passed = forms.TypedChoiceField(
        label=_("Counts as"),
        choices=[("1", _("Passed")), ("0", _("Not passed"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    conflict_note = forms.CharField(
        label=_("Describe the conflict of interest"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    """One number field per criterion of the round, plus a comment."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (×{criterion.weight}, 0–{criterion.max_score})",
                min_value=0,
                max_value=criterion.max_score,
                help_text=criterion.description,
            )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ExportForm(forms.Form):
    export_format = forms.ChoiceField(label=_("Format"), choices=ExportJob.Format.choices)
