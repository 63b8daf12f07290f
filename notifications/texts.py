"""Texts for a phone: 알림톡 templates and the SMS/LMS they fall back to.

알림톡 (KakaoTalk business notification) only delivers text that matches a template registered
with Kakao through the provider, word for word, with ``#{variable}`` slots. Each kind keeps its
template here in the repo: the code it was registered under and the exact registered text, per
language (a template is registered once per language). ``render`` fills the slots; the same
text is what the SMS/LMS fallback says, so a person reads the same words either way.

Limits (checked by ``notifications/tests/test_texts.py`` for every registered kind):
an SMS is at most 90 bytes in EUC-KR (a Hangul syllable is 2 bytes), longer texts go as LMS
(at most 2,000 bytes, with a title); an 알림톡 is at most 1,000 characters and carries one web
link button to the portal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SMS_MAX_BYTES = 90
LMS_MAX_BYTES = 2000
LMS_SUBJECT_MAX_BYTES = 40
ALIMTALK_MAX_CHARS = 1000
BUTTON_NAME_MAX_CHARS = 14

VARIABLE = re.compile(r"#\{([A-Za-z_][A-Za-z0-9_]*)\}")


def euc_kr_bytes(text: str) -> int:
    """Bytes the carriers count: EUC-KR (CP949 so every Hangul syllable counts 2, not "?")."""
    return len(text.encode("cp949", errors="replace"))


def sms_type(text: str) -> str:
    """``SMS`` when it fits 90 EUC-KR bytes, else ``LMS``."""
    return "SMS" if euc_kr_bytes(text) <= SMS_MAX_BYTES else "LMS"


class MissingVariable(KeyError):
    pass


def fill(pattern: str, variables: dict) -> str:
    """Put ``variables`` into the ``#{name}`` slots of ``pattern``; every slot must be given."""

    def value(match):
        name = match.group(1)
        if name not in variables:
            raise MissingVariable(name)
        return str(variables[name])

    return VARIABLE.sub(value, pattern)


@dataclass(frozen=True)
class TextTemplate:
    """One kind's phone text. ``codes`` and ``texts`` are keyed by language (``ko``, ``en``).

    ``texts[lang]`` is the exact text registered as 알림톡 template ``codes[lang]``; the button
    (``button_name[lang]``, a web link to ``#{url}``) is registered with it.
    """

    codes: dict[str, str]
    texts: dict[str, str]
    button_name: dict[str, str] = field(default_factory=lambda: {"ko": "포털에서 보기", "en": "Open portal"})

    def language(self, language: str) -> str:
        return language if language in self.texts else "ko"

    def variables(self, language: str) -> set[str]:
        return set(VARIABLE.findall(self.texts[self.language(language)]))

    def render(self, *, language: str, variables: dict) -> tuple[str, str]:
        """``(template_code, text)`` in ``language`` (Korean when the template has no such language)."""
        language = self.language(language)
        return self.codes[language], fill(self.texts[language], variables)
