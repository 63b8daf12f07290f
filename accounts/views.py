from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from accounts import consents, personal_data, services
from accounts.errors import summarise_errors
from accounts.forms import (
    LockoutAuthenticationForm,
    NewPasswordForm,
    NoticesConsentForm,
    OutboxPasswordResetForm,
    PrivacyRequestForm,
    ProfileForm,
    SignUpForm,
)
from accounts.models import PrivacyPolicy, PrivacyRequest, RetentionRule


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_summary"] = summarise_errors(context["form"])
        return context


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.sign_up(
            email=data["email"],
            name=data["name"],
            phone=data["phone"],
            password=data["password1"],
            preferred_language=getattr(request, "LANGUAGE_CODE", "ko") or "ko",
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready. Next, register your group."))
        return redirect(_safe_next(request) or reverse_lazy("grants:group"))
    context = {"form": form, "error_summary": summarise_errors(form), "next": _safe_next(request)}
    status = 429 if form.has_error("email", "too_many_requests") else 400 if form.errors else 200
    return render(request, "accounts/signup.html", context, status=status)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your details were saved."))
        response = redirect("profile")
        # The same cookie flags as Django's own /i18n/setlang/ (Secure in production, see settings).
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["preferred_language"],
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    if request.method == "POST":
        request.user.refresh_from_db()
    context = {"form": form, "error_summary": summarise_errors(form)}
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.has_error("email", "too_many_requests") else 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_summary"] = summarise_errors(context["form"])
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("form") is not None:
            context["error_summary"] = summarise_errors(context["form"])
        return context


@require_GET
def privacy_policy(request, version=None):
    """The privacy policy in force (or an earlier version), with every retention rule's period
    read from the rules themselves. Public: linked from every page's footer, sign-up and consents."""
    taken_effect = PrivacyPolicy.objects.filter(effective_on__lte=timezone.localdate())
    policy = taken_effect.filter(version=version).first() if version else taken_effect.in_force()
    if policy is None:
        raise Http404
    context = {
        "policy": policy,
        "rules": [rule for rule in RetentionRule.objects.order_by("kind") if rule.registered is not None],
        "versions": list(taken_effect.only("version", "effective_on")),
    }
    return render(request, "accounts/privacy_policy.html", context)


def _my_data_context(request, *, request_form=None, consent_form=None) -> dict:
    user = request.user
    return {
        "sections": personal_data.collect_all(user),
        "request_form": request_form or PrivacyRequestForm(),
        "consent_form": consent_form or NoticesConsentForm(initial={"notices_consent": user.notices_consent}),
        "requests": user.privacy_requests.order_by("-created_at"),
        "error_summary": summarise_errors(request_form) if request_form is not None else [],
        "answer_days": PrivacyRequest.ANSWER_DAYS,
    }


@login_required
@require_GET
def my_data(request):
    """Everything the portal holds about the person, readable, with their rights beside it."""
    return render(request, "accounts/my_data.html", _my_data_context(request))


@login_required
@require_GET
def my_data_download(request):
    """The same, as a JSON file."""
    payload = {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "person": request.user.email,
        "sections": personal_data.collect_all(request.user),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def my_data_request(request):
    form = PrivacyRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/my_data.html", _my_data_context(request, request_form=form), status=400)
    privacy_request = services.privacy_request_create(
        user=request.user, kind=form.cleaned_data["kind"], message=form.cleaned_data["message"]
    )
    messages.success(
        request,
        _("We received your request. The district answers by %(date)s at the latest.")
        % {"date": privacy_request.due_on.strftime("%Y-%m-%d")},
    )
    return redirect("my_data")


@login_required
@require_POST
def my_data_notices(request):
    form = NoticesConsentForm(request.POST)
    form.is_valid()  # a checkbox: absent means "no"
    granted = bool(form.cleaned_data.get("notices_consent"))
    consents.set_notices_consent(user=request.user, granted=granted)
    messages.success(request, _("You will get programme news.") if granted else _("You will not get programme news."))
    return redirect("my_data")
