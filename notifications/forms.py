from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Message

CHANNEL_CHOICES = [
    (Message.Channel.ALIMTALK, _("KakaoTalk (a text message if KakaoTalk cannot reach you)")),
    (Message.Channel.SMS, _("Text message")),
    (Message.Channel.EMAIL, _("Email only")),
]


class PreferencesForm(forms.Form):
    """The channel a person is reached by, and which optional reminders they want."""

    preferred = forms.ChoiceField(
        label=_("Besides email, send my notices by"),
        choices=CHANNEL_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, optional_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.optional_kinds = list(optional_kinds)
        for kind in self.optional_kinds:
            self.fields[f"kind_{kind.name}"] = forms.BooleanField(
                label=kind.label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )

    def kind_fields(self):
        return [self[f"kind_{kind.name}"] for kind in self.optional_kinds]
