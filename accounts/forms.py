import re
import uuid
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import PrivacyRequest, User, normalise_email
from portal.phones import InvalidPhone, is_mobile, normalise_mobile

PHONE_PATTERN = re.compile(r"^[0-9+][0-9\- ]{7,18}[0-9]$")


def clean_mobile(value: str) -> str:
    """A Korean mobile number in its one spelling (010-1234-5678), or "" when left empty.

    KakaoTalk notifications and text messages go to this number, so it must be a mobile one."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalise_mobile(value)
    except InvalidPhone:
        raise ValidationError(
            _("Enter a mobile phone number starting with 010, e.g. 010-1234-5678."), code="invalid_phone"
        ) from None


def clean_phone(value: str) -> str:
    """Any phone number a person can be called on: a mobile one normalised, a landline as typed."""
    value = (value or "").strip()
    if is_mobile(value):
        return normalise_mobile(value)
    if value and not PHONE_PATTERN.match(value):
        raise ValidationError(_("Enter a phone number with digits, e.g. 010-1234-5678."), code="invalid_phone")
    return value


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: a forwarded header can be forged unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("You log in with this address; we send the receipt of your application here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(label=_("Name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=20,
        help_text=_(
            "The support team calls this number if they have a question, and KakaoTalk notices and text "
            "messages come to it, e.g. 010-1234-5678."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters. Not only numbers, and not like your name or email."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        help_text=_("Type the same password once more to be sure."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            # Saying so is a known trade-off (docs/security.md); probing it is rate-limited per IP.
            if not services.allow_signup_with_taken_address(email=email, ip_address=client_ip(self.request)):
                raise ValidationError(TOO_MANY_REQUESTS, code="too_many_requests")
            raise ValidationError(
                _("An account with this email address already exists. Log in, or reset your password."),
                code="duplicate_email",
            )
        return email

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


TOO_MANY_REQUESTS = _("Too many requests from here or for this address. Please try again in an hour.")

LOCKED_OUT_MESSAGE = _(
    "Logging in failed 5 times, so it is locked for 15 minutes to protect your account. "
    "Please try again later, or reset your password by email."
)


class LockoutMixin:
    """Every login form of the portal (the public one and the admin's) goes through
    ``accounts.services.attempt_login``: a locked account is refused before its password is
    checked, and each checked password is recorded."""

    def clean_username(self):
        return normalise_email(self.cleaned_data.get("username"))

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        if not email or not self.cleaned_data.get("password"):
            return super().clean()  # a required-field error, no password to check
        refused = []

        def check_password() -> bool:
            try:
                super(LockoutMixin, self).clean()
            except ValidationError as error:
                refused.append(error)
                return False
            return True

        outcome = services.attempt_login(email=email, ip_address=client_ip(self.request), check_password=check_password)
        if outcome is services.LoginOutcome.LOCKED_OUT:
            raise ValidationError(self.error_messages["locked_out"], code="locked_out")
        if outcome is services.LoginOutcome.FAILED:
            raise refused[0]
        return self.cleaned_data


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    """Django's login form, refusing an account or address after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The email address or password is not correct. After 5 failed attempts, "
            "logging in is locked for 15 minutes."
        ),
        "locked_out": LOCKED_OUT_MESSAGE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})


class AdminLockoutAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's login form (staff only) under the same lock-out as the portal's."""

    error_messages = {**AdminAuthenticationForm.error_messages, "locked_out": LOCKED_OUT_MESSAGE}


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "phone", "preferred_language"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form in the portal's own words (Django's labels come from its catalogue)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = SignUpForm.base_fields["password1"].help_text
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = SignUpForm.base_fields["password2"].help_text


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email goes through the outbox like every other email, the
    requests are limited per address and per IP, and the link is built from PORTAL_BASE_URL
    (never from the request's Host header, which an attacker can set)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        # Counted whether or not the address has an account, so the answer reveals nothing.
        if not services.allow_password_reset(email=email, ip_address=client_ip(self.request)):
            raise ValidationError(TOO_MANY_REQUESTS, code="too_many_requests")
        return email

    def save(self, **kwargs):
        base = urlsplit(settings.PORTAL_BASE_URL)
        kwargs.update(domain_override=base.netloc, use_https=base.scheme == "https")
        return super().save(**kwargs)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from notifications.services import queue_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        queue_email(
            recipient=to_email,
            user=context.get("user"),
            kind="password_reset",
            subject=subject,
            body_text=loader.render_to_string(email_template_name, context),
            dedup_key=f"password-reset:{uuid.uuid4().hex}",
        )


class PrivacyRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask?"),
        choices=PrivacyRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you ask for.")},
    )
    message = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For a correction, say what is wrong and what is right. For the rest, a reason helps but is not needed."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PrivacyRequest.Kind.CORRECTION and not cleaned.get("message", "").strip():
            self.add_error("message", ValidationError(_("Say what should be corrected."), code="required"))
        return cleaned


class NoticesConsentForm(forms.Form):
    notices_consent = forms.BooleanField(
        label=_("Send me programme news by email and text (sessions, forums, next year's call, optional reminders)"),
        required=False,
    )
