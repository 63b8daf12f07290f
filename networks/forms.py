from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import CommunityGroup, Decision, Forum, ForumRegistration

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ForumForm(forms.ModelForm):
    """Schedule or edit a forum. Times are entered and shown in Seoul time."""

    class Meta:
        model = Forum
        fields = ["title", "agenda", "starts_at", "ends_at", "place", "capacity", "open_to_all"]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        }
        help_texts = {
            "starts_at": _("Seoul time."),
            "open_to_all": _("Any resident may register, not only the member groups."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].min_value = 1

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if self.instance.pk is None and starts_at <= timezone.now():
            raise forms.ValidationError(_("A new forum must start in the future."), code="in_past")
        return starts_at

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", forms.ValidationError(_("The end must be after the start."), code="ends_early"))
        return cleaned


class RegistrationForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Registering for a group? (optional)"),
        queryset=CommunityGroup.objects.none(),
        required=False,
        empty_label=_("Just myself"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CommunityGroup.objects.filter(representative=user).order_by("name")


class AttendeeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, registration):
        if registration.group_id:
            return f"{registration.user.name} · {registration.group.name}"
        return registration.user.name


class OutcomeForm(forms.Form):
    """What happened at the forum: who came, walk-ins, minutes."""

    attended = AttendeeChoiceField(
        label=_("Who came (registered residents)"),
        queryset=ForumRegistration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    walk_in_count = forms.IntegerField(
        label=_("Walk-in attendees"),
        min_value=0,
        initial=0,
        help_text=_("People who came without registering on the portal."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    minutes = forms.CharField(label=_("Meeting minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = (
            forum.registrations.filter(cancelled_at__isnull=True).select_related("user", "group").order_by("user__name")
        )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "owner", "due_date"]
        labels = {"text": _("What was decided"), "owner": _("Who carries it out")}
        help_texts = {"owner": _("A group, a person's name or a role, e.g. 'Sunshine Village secretary'.")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AddGroupForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group to add"), queryset=CommunityGroup.objects.none())

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            CommunityGroup.objects.filter(dong__district_id=network.district_id)
            .exclude(network_memberships__network=network)
            .select_related("dong")
            .order_by("dong__order", "name")
        )
        self.fields["group"].label_from_instance = lambda group: f"{group.name} ({group.dong.name})"
