"""portal.text.one_line: the one helper for one-line slots (headers, calendar names)."""

import pytest

from portal.text import one_line


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("골목\r\n화단", "골목 화단"),
        ("\t 탭과\x0b\x0c제어 \x00문자 ", "탭과 제어 문자"),
        ("줄\u2028구분\u2029문단", "줄 구분 문단"),
        ("\u202e반대로\u202c 읽기", "반대로 읽기"),
        ("평범한 제목 (양동)", "평범한 제목 (양동)"),
    ],
)
def test_one_line_turns_every_control_character_into_a_space(typed, shown):
    assert one_line(typed) == shown


def test_one_line_cuts_to_the_slot_length():
    assert one_line("가" * 300, max_length=255) == "가" * 255
