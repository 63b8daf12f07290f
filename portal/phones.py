"""Korean mobile numbers: the one spelling the portal stores, validates and sends texts to.

``normalise_mobile("+82 10-1234-5678") == "010-1234-5678"``. Accepted: 010 numbers (the only
mobile prefix issued today) written with or without dashes, spaces, dots or brackets, or with
the country code (+82 / 82 / 0082, with or without the leading 0). Landlines and the retired
011/016/017/018/019 prefixes are not mobile numbers: 알림톡 and SMS cannot reach them.
"""

import re

_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"^010(\d{4})(\d{4})$")


class InvalidPhone(ValueError):
    pass


def normalise_mobile(value: str) -> str:
    """``010-XXXX-XXXX`` for any spelling of a Korean mobile number; raises ``InvalidPhone``."""
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("82"):
            raise InvalidPhone(value)
    if digits.startswith("0082"):
        digits = digits[4:]
    elif digits.startswith("82") and len(digits) in (12, 13):
        digits = digits[2:]
    if not digits.startswith("0"):
        digits = "0" + digits
    match = _MOBILE.match(digits)
    if not match:
        raise InvalidPhone(value)
    return f"010-{match.group(1)}-{match.group(2)}"


def is_mobile(value: str) -> bool:
    try:
        normalise_mobile(value)
    except InvalidPhone:
        return False
    return True


def digits(value: str) -> str:
    """The form providers want: ``01012345678``."""
    return normalise_mobile(value).replace("-", "")
