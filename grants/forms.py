"""The resident's forms: the group, the application's steps, documents and consents."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from grants import uploads
from grants.consents import CONSENT_TEXTS
from grants.models import Attachment, BudgetLine, Field
from networks.models import CommunityGroup, Dong
from portal.field_groups import BootstrapFieldGroups

LONG_TEXT = 3000
MAX_AMOUNT = 10_000_000_000  # ten billion won: far beyond any line, well inside the column


class GroupForm(forms.ModelForm):
    class Meta:
        model = CommunityGroup
        fields = ["name", "kind", "dong", "member_count", "contact_phone", "contact_email", "description"]
        widgets = {
            "kind": forms.RadioSelect,
            "member_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10000}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _("The name the group uses, e.g. 햇살마을공동체."),
            "dong": _("The administrative dong where the group lives or works."),
            "member_count": _("How many residents take part, including you."),
            "contact_phone": _("A number the support team can call. Leave empty to use yours."),
            "description": _("Two or three sentences about the group. This is shown publicly if you are funded."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = Dong.objects.select_related("district").order_by("district", "order", "name")
        self.fields["dong"].empty_label = _("Choose the dong")
        self.fields["member_count"].validators.append(_MemberCountLimit())
        self.fields["description"].validators.append(MaxLengthValidator(LONG_TEXT))

    def clean_contact_phone(self):
        from accounts.forms import clean_phone

        return clean_phone(self.cleaned_data["contact_phone"])


class _MemberCountLimit:
    def __call__(self, value):
        if value is not None and not 1 <= value <= 10000:
            raise ValidationError(_("Enter a number between 1 and 10,000."), code="member_count_range")


class GroupMemberForm(forms.Form):
    name = forms.CharField(label=_("Participant's name"), max_length=50)
    role = forms.CharField(
        label=_("Role"), max_length=50, required=False, help_text=_("e.g. representative, treasurer, member")
    )


GroupMemberFormSet = forms.formset_factory(
    GroupMemberForm, extra=2, can_delete=True, max_num=100, absolute_max=200, validate_max=True
)


def long_text(label, help_text, *, rows: int = 3) -> forms.CharField:
    """An optional multi-line answer of a draft step."""
    return forms.CharField(
        label=label,
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ProjectForm(forms.Form):
    """Step 1. Every field may stay empty in a draft; the review step lists what is missing."""

    field = forms.ModelChoiceField(
        label=_("Field"), queryset=Field.objects.none(), required=False, widget=forms.RadioSelect, empty_label=None
    )
    title = forms.CharField(label=_("Project title"), max_length=200, required=False)
    purpose = long_text(_("Purpose"), _("Why the village needs this project."), rows=3)
    plan = long_text(_("Activity plan"), _("What you will do, where, and with whom."), rows=4)
    schedule = long_text(
        _("Schedule"),
        _("e.g. April: first meeting; May to October: monthly activity; November: sharing results."),
        rows=3,
    )
    expected_outcomes = long_text(
        _("Expected outcomes"), _("What will be different in the village afterwards."), rows=3
    )
    resident_participation = long_text(
        _("How residents take part"), _("How neighbours beyond the group can join in."), rows=3
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.filter(envelopes__round=round_).order_by("order", "name")


class AmountField(forms.IntegerField):
    """Won as people write them: "1,000,000", "1 000 000원" and "1000000" are all one million."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-amount": ""})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s,원₩]", "", value)
        return super().to_python(value)


class BudgetLineForm(BootstrapFieldGroups, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetLine.Category.choices)
    item = forms.CharField(label=_("What it pays for"), max_length=200)
    amount = AmountField(label=_("Amount (KRW)"), min_value=1, max_value=MAX_AMOUNT)
    source = forms.ChoiceField(
        label=_("Paid by"),
        choices=BudgetLine.Source.choices,
        initial=BudgetLine.Source.SUBSIDY,
        widget=forms.Select(attrs={"data-source": ""}),
    )

    def is_blank(self) -> bool:
        """Nothing written on the line: no item and no amount. The category and source selects
        always send a value, so they do not make a line; a blank line is neither saved nor checked."""
        return not any(str(self.data.get(self.add_prefix(name), "")).strip() for name in ("item", "amount"))

    def full_clean(self):
        if self.is_bound and self.is_blank():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        # A line with something written on it is always checked and kept, even when it equals
        # its initial values: Django would skip an unchanged extra form (empty_permitted), and
        # that line would then vanish from the saved budget.
        self.empty_permitted = False
        super().full_clean()


class BaseBudgetFormSet(forms.BaseFormSet):
    """Checks the round's money rules on the whole budget: the subsidy cap and the minimum
    self-contribution share.

    The budget is every line on the page that is not blank and not marked for removal, changed or
    not: saving replaces the stored lines with exactly these."""

    def __init__(self, *args, round_, **kwargs):
        self.round = round_
        super().__init__(*args, **kwargs)

    def lines(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in ("category", "item", "amount", "source")}
            for form in self.forms
            if not form.is_blank() and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        lines = self.lines()
        subsidy = sum(line["amount"] for line in lines if line["source"] == BudgetLine.Source.SUBSIDY)
        own = sum(line["amount"] for line in lines if line["source"] == BudgetLine.Source.SELF)
        total = subsidy + own
        errors = []
        if self.round.max_per_group and subsidy > self.round.max_per_group:
            errors.append(
                ValidationError(
                    _("The subsidy total (%(subsidy)s won) is over this round's limit of %(max)s won per group."),
                    code="over_max",
                    params={"subsidy": f"{subsidy:,}", "max": f"{self.round.max_per_group:,}"},
                )
            )
        minimum = self.round.min_self_contribution_percent
        if total and not self.round.self_contribution_is_enough(own=own, total=total):
            errors.append(
                ValidationError(
                    _(
                        "The self-contribution must be at least %(min)s%% of the total project cost "
                        "(at least %(needed)s won of %(total)s won); now it is %(own)s won."
                    ),
                    code="self_contribution_low",
                    params={
                        "min": minimum,
                        "needed": f"{self.round.self_contribution_needed(total=total):,}",
                        "total": f"{total:,}",
                        "own": f"{own:,}",
                    },
                )
            )
        if errors:
            raise ValidationError(errors)


BudgetFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    absolute_max=60,
    validate_max=True,
)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, HWP, HWPX, DOCX, XLSX, JPG or PNG, up to 10 MB. A clear phone photo of a paper is fine."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT_ATTRIBUTE}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.original_name, self.content_type = uploads.check_upload(upload)
        return upload


class ConsentForm(forms.Form):
    """One separate yes/no answer per consent (PIPA §15(2)); refusing a required one is allowed
    but then the application cannot be submitted, and the form says so."""

    YES, NO = "yes", "no"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for text in CONSENT_TEXTS:
            self.fields[f"consent_{text.kind}"] = forms.ChoiceField(
                label=text.title,
                choices=[(self.YES, _("I agree")), (self.NO, _("I do not agree"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether you agree.")},
            )

    def clean(self):
        cleaned = super().clean()
        for text in CONSENT_TEXTS:
            name = f"consent_{text.kind}"
            if text.required and cleaned.get(name) == self.NO:
                self.add_error(
                    name,
                    ValidationError(
                        _("This consent is required: without it the application cannot be submitted."),
                        code="required_consent",
                    ),
                )
        return cleaned

    def answers(self) -> dict[str, bool]:
        return {text.kind: self.cleaned_data[f"consent_{text.kind}"] == self.YES for text in CONSENT_TEXTS}
