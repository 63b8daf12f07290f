"""Text for one-line slots: email headers, iCalendar names, file names in headers.

User text (an application title, a forum title, a group name) may carry line breaks, tabs or
other control characters: pasted from a word processor, or typed on purpose. In a one-line
slot a line break is a header injection (Django refuses the email with ``BadHeaderError``, and
the receipt is lost to retries) or a broken calendar. Every such slot takes its text through
``one_line``; multi-line slots (an email body, an iCalendar DESCRIPTION) keep their breaks.
"""

import unicodedata

# Bidirectional overrides and isolates can make a name read differently than it is spelt.
_BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def one_line(value, *, max_length: int | None = None) -> str:
    """``value`` as one line: each control character (CR, LF, TAB, NUL, the Unicode line and
    paragraph separators …) becomes a space, bidi controls vanish, runs of spaces collapse, and
    the ends are trimmed. Cut to ``max_length`` characters when given."""
    text = str(value if value is not None else "")
    cleaned = []
    for character in text:
        if character in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(character)
        cleaned.append(" " if category in {"Cc", "Zl", "Zp"} else character)
    result = " ".join("".join(cleaned).split())
    return result[:max_length].rstrip() if max_length is not None else result
