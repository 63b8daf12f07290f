from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentors.models import CoachingVisit, EducationSession
from mentors.services import FollowUpData, photo_content_type

DURATION_CHOICES = [
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
    (120, _("2 hours")),
    (180, _("3 hours")),
]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one input; each is checked by content (JPG/PNG, ≤ 10 MB)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultiplePhotoField, self).clean(upload, initial) for upload in uploads]
        errors = []
        for upload in cleaned:
            try:
                photo_content_type(upload)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class VisitForm(forms.ModelForm):
    """The visit itself. Only date, kind and duration are required; the rest may stay empty."""

    duration_minutes = forms.TypedChoiceField(label=_("Duration"), choices=DURATION_CHOICES, coerce=int, initial=60)
    photos = MultiplePhotoField(
        label=_("Photos"), required=False, help_text=_("JPG or PNG, up to 10 MB each. You may choose several.")
    )

    class Meta:
        model = CoachingVisit
        fields = ["date", "kind", "duration_minutes", "attendees", "topics", "notes", "forum"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.RadioSelect,
            "attendees": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"attendees": _("How many people took part")}
        help_texts = {"topics": _("A few words, e.g. budget sheet, meeting minutes.")}

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("kind", CoachingVisit.Kind.COACHING)
        self.fields["kind"].choices = CoachingVisit.Kind.choices
        self.fields["attendees"].required = False
        if not self.initial.get("attendees"):
            # Empty, not the model's 0: a mentor on a phone types the number without deleting a 0 first.
            self.initial["attendees"] = None
        self.fields["forum"].queryset = forums
        self.fields["forum"].label = _("Forum supported (network-support visits)")
        self.fields["forum"].empty_label = _("None")
        if not forums.exists():
            del self.fields["forum"]

    def clean_attendees(self):
        return self.cleaned_data.get("attendees") or 0

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return date

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class FollowUpForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("What"), max_length=300, required=False)
    owner = forms.CharField(label=_("Who"), max_length=100, required=False)
    due_date = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if (data.get("owner") or data.get("due_date")) and not data.get("description"):
            self.add_error("description", _("Say what needs to be done."))
        return data

    def to_data(self) -> FollowUpData:
        data = self.cleaned_data
        return FollowUpData(
            id=data.get("id"),
            description=data.get("description", ""),
            owner=data.get("owner", ""),
            due_date=data.get("due_date"),
            delete=bool(data.get("DELETE")),
        )


class BaseFollowUpFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this follow-up")


FollowUpFormSet = forms.formset_factory(FollowUpForm, formset=BaseFollowUpFormSet, extra=1, can_delete=True, max_num=20)


def follow_up_initial(visit) -> list[dict]:
    return [
        {"id": f.pk, "description": f.description, "owner": f.owner, "due_date": f.due_date}
        for f in visit.follow_ups.all()
    ]


class EducationSessionForm(forms.ModelForm):
    groups = forms.ModelMultipleChoiceField(
        label=_("Invited groups"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = EducationSession
        fields = ["title", "starts_at", "place", "capacity", "description"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError(_("Choose a date and time in the future."))
        return starts_at


class AttendanceForm(forms.Form):
    """One "came?" checkbox and one head count per invited group."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        for invitation in self.invitations:
            self.fields[f"attended_{invitation.group_id}"] = forms.BooleanField(
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                label=_("Came"),
                required=False,
                initial=bool(invitation.attended),
            )
            self.fields[f"attendees_{invitation.group_id}"] = forms.IntegerField(
                label=_("How many people"), min_value=0, max_value=500, required=False, initial=invitation.attendees
            )

    def rows(self):
        for invitation in self.invitations:
            yield invitation, self[f"attended_{invitation.group_id}"], self[f"attendees_{invitation.group_id}"]

    def attendance(self) -> dict[int, tuple[bool, int]]:
        return {
            inv.group_id: (
                self.cleaned_data[f"attended_{inv.group_id}"],
                self.cleaned_data[f"attendees_{inv.group_id}"] or 0,
            )
            for inv in self.invitations
        }
