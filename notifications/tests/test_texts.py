"""Every kind's phone text, in every language, within the channel's limits; and phone numbers."""

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from notifications import texts
from notifications.reminders import is_essential, registry
from notifications.rendering import unsubscribe_url
from portal.phones import InvalidPhone, is_mobile, normalise_mobile

TEXT_KINDS = sorted(name for name, kind in registry.items() if kind.texts)
LANGUAGES = [code for code, _ in settings.LANGUAGES]
# The longest values a text can carry: a 50-character name (the field's limit), a deep link on a
# long production host, and an unsubscribe link as long as a real one for a large user id.
LONGEST = {
    "name": "가" * 50,
    "url": "https://maeul.seogu.gwangju.kr/my/applications/999999999/documents/",
    "days": 30,
    "status": "보완 요청을 받았습니다, 보완 후 다시 제출해 주세요",
    "time": "19:30",
}
TYPICAL = {"name": "김영순", "url": "", "stop_url": "", "days": 3, "status": "선정", "time": "19:00"}


def variables_for(kind, values):
    return {**values, "stop_url": values.get("stop_url", unsubscribe_url(user_id=10**9, kind=kind))}


def test_the_portal_kinds_that_reach_residents_have_texts():
    assert {"draft_deadline", "changes_requested", "application_receipt", "application_decision"} <= set(TEXT_KINDS)
    assert {"forum_tomorrow", "documents_missing"} <= set(TEXT_KINDS)


def test_template_codes_are_unique_across_kinds_and_languages():
    codes = [registry[name].text.codes[language] for name in TEXT_KINDS for language in LANGUAGES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("kind", TEXT_KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_text_fits_alimtalk_and_lms_at_its_longest(kind, language):
    code, text = registry[kind].text.render(language=language, variables=variables_for(kind, LONGEST))
    assert code
    assert len(text) <= texts.ALIMTALK_MAX_CHARS
    assert texts.euc_kr_bytes(text) <= texts.LMS_MAX_BYTES
    assert len(registry[kind].text.button_name[language]) <= texts.BUTTON_NAME_MAX_CHARS


@pytest.mark.parametrize("kind", TEXT_KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_message_itself_fits_one_sms_for_a_typical_name(kind, language):
    """The first line (what the notice says, before the links) is one SMS's 90 bytes, so the
    preview on a phone's lock screen carries the whole message."""
    _, text = registry[kind].text.render(language=language, variables=TYPICAL)
    first_line = text.splitlines()[0]
    assert texts.euc_kr_bytes(first_line) <= texts.SMS_MAX_BYTES, (first_line, texts.euc_kr_bytes(first_line))


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_every_text_links_to_the_portal_and_non_essential_ones_say_how_to_stop(kind):
    template = registry[kind].text
    assert template.variables("ko") == template.variables("en"), "both languages fill the same slots"
    assert "url" in template.variables("ko")
    assert ("stop_url" in template.variables("ko")) == (not is_essential(kind))


def test_sms_and_lms_are_chosen_by_euc_kr_bytes_at_the_edge():
    assert texts.euc_kr_bytes("가" * 45) == 90
    assert texts.sms_type("가" * 45) == "SMS"
    assert texts.sms_type("가" * 45 + "a") == "LMS"
    assert texts.sms_type("a" * 90) == "SMS"
    assert texts.sms_type("a" * 91) == "LMS"


def test_a_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(texts.MissingVariable):
        texts.fill("#{name}님 #{days}일", {"name": "김"})


# --- Phone numbers --------------------------------------------------------------------------

subscriber = st.from_regex(r"\A[0-9]{8}\Z")
separator = st.sampled_from(["", "-", " ", ".", " - "])


@given(
    number=subscriber, sep=separator, prefix=st.sampled_from(["010", "+82 10", "+8210", "82-10", "0082 10", "+82 010"])
)
def test_any_spelling_of_a_mobile_number_normalises_to_one_form(number, sep, prefix):
    spelled = f"{prefix}{sep}{number[:4]}{sep}{number[4:]}"
    assert normalise_mobile(spelled) == f"010-{number[:4]}-{number[4:]}"


@given(number=subscriber)
def test_normalising_is_idempotent(number):
    once = normalise_mobile(f"010{number}")
    assert normalise_mobile(once) == once


@given(value=st.text(max_size=25))
def test_anything_accepted_is_a_010_number_and_anything_else_raises(value):
    try:
        normalised = normalise_mobile(value)
    except InvalidPhone:
        assert not is_mobile(value)
    else:
        assert len(normalised) == 13 and normalised.startswith("010-") and normalised[3] == "-"
        assert normalised.replace("-", "").isdigit()


@pytest.mark.parametrize("value", ["062-360-7000", "02-123-4567", "011-123-4567", "010-123-456", "+1 202 555 0100", ""])
def test_landlines_old_prefixes_and_foreign_numbers_are_not_mobile_numbers(value):
    assert not is_mobile(value)
