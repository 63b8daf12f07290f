"""Arbitrary text, numbers and file names thrown at the resident's forms: never a server
error, and either the whole step is saved or nothing is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.models import Application
from grants.tests.conftest import tiny_pdf

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
text = st.text(max_size=300)
amounts = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**13).map(str),
    st.integers(min_value=0, max_value=10**8).map(lambda n: f"{n:,}"),
    text,
)


def snapshot(application: Application) -> tuple:
    application.refresh_from_db()
    lines = tuple(application.budget_lines.values_list("category", "item", "amount", "source"))
    return (application.title, application.plan, application.field_id, application.requested_amount, lines)


@SETTINGS
@given(title=text, plan=text, field=st.one_of(text, st.integers(min_value=-5, max_value=10**9).map(str)))
def test_the_project_step_never_breaks(client, resident, draft, title, plan, field):
    client.force_login(resident)
    before = snapshot(draft)
    response = client.post(
        reverse("grants:apply_project", args=[draft.pk]), {"title": title, "plan": plan, "field": field}
    )
    assert response.status_code in (302, 400)
    after = snapshot(draft)
    if response.status_code == 400:
        assert after == before
    else:
        assert after[0] == title.strip() and after[1] == plan.strip()


@SETTINGS
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(["materials", "other", "bogus", ""]),
            text,
            amounts,
            st.sampled_from(["subsidy", "self", "x"]),
        ),
        max_size=6,
    ),
    total_forms=st.one_of(st.just(None), st.integers(min_value=-3, max_value=5000).map(str), text),
)
def test_the_budget_step_never_breaks_or_saves_half(client, resident, draft, lines, total_forms):
    client.force_login(resident)
    before = snapshot(draft)
    data = {
        "lines-TOTAL_FORMS": str(len(lines)) if total_forms is None else total_forms,
        "lines-INITIAL_FORMS": "0",
    }
    for index, (category, item, amount, source) in enumerate(lines):
        data.update(
            {
                f"lines-{index}-category": category,
                f"lines-{index}-item": item,
                f"lines-{index}-amount": amount,
                f"lines-{index}-source": source,
            }
        )
    response = client.post(reverse("grants:apply_budget", args=[draft.pk]), data)
    assert response.status_code in (302, 400)
    after = snapshot(draft)
    if response.status_code == 400:
        assert after == before
    else:
        subsidy = sum(amount for _c, _i, amount, source in after[4] if source == "subsidy")
        assert after[3] == subsidy


@SETTINGS
@given(
    name=st.one_of(text, text.map(lambda s: s + ".pdf"), text.map(lambda s: "../" + s + ".PDF")),
    kind=st.sampled_from(["plan", "other", "nonsense"]),
)
def test_any_file_name_is_stored_safely_or_refused(client, resident, draft, name, kind):
    client.force_login(resident)
    count = draft.attachments.count()
    if count >= 9:
        draft.attachments.all().delete()
        count = 0
    upload = SimpleUploadedFile(name or "x", tiny_pdf(), content_type="application/pdf")
    response = client.post(reverse("grants:apply_documents", args=[draft.pk]), {"kind": kind, "file": upload})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        attachment = draft.attachments.latest("uploaded_at")
        assert "/" not in attachment.original_name and attachment.original_name.lower().endswith(".pdf")
        assert attachment.file.name.startswith(f"attachments/{draft.pk}/")
    else:
        assert draft.attachments.count() == count


@SETTINGS
@given(
    name=text,
    member_count=st.one_of(st.integers(min_value=-10, max_value=10**7).map(str), text),
    phone=text,
    members=st.lists(st.tuples(text, text), max_size=4),
)
def test_the_group_form_never_breaks(client, resident, name, member_count, phone, members):
    client.force_login(resident)
    group = resident.represented_groups.get()
    before = (group.name, group.member_count, list(group.members.values_list("name", "role")))
    data = {
        "name": name,
        "kind": "village",
        "dong": group.dong_id,
        "member_count": member_count,
        "contact_phone": phone,
        "contact_email": "",
        "description": "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
    }
    for index, (member_name, role) in enumerate(members):
        data.update({f"members-{index}-name": member_name, f"members-{index}-role": role})
    response = client.post(reverse("grants:group"), data)
    assert response.status_code in (302, 400)
    group.refresh_from_db()
    after = (group.name, group.member_count, list(group.members.values_list("name", "role")))
    if response.status_code == 400:
        assert after == before


@SETTINGS
@given(answers=st.lists(st.one_of(st.sampled_from(["yes", "no", ""]), text), min_size=3, max_size=3))
def test_the_consent_step_never_breaks_or_saves_half(client, resident, draft, answers):
    from grants.models import Consent

    client.force_login(resident)
    before = sorted(Consent.objects.filter(application=draft).values_list("kind", "granted"))
    data = dict(zip(["consent_collection", "consent_third_party", "consent_notices"], answers))
    response = client.post(reverse("grants:apply_consent", args=[draft.pk]), data)
    assert response.status_code in (302, 400)
    after = sorted(Consent.objects.filter(application=draft).values_list("kind", "granted"))
    if response.status_code == 400:
        assert after == before
    else:
        assert len(after) == 3


@SETTINGS
@given(email=st.one_of(text, st.emails()), name=text, phone=text, password=text)
def test_sign_up_never_breaks(client, email, name, phone, password):
    from accounts.models import User

    count = User.objects.count()
    data = {"email": email, "name": name, "phone": phone, "password1": password, "password2": password}
    response = client.post(reverse("signup"), data)
    assert response.status_code in (302, 400)
    assert User.objects.count() == count + (1 if response.status_code == 302 else 0)
    client.logout()
