"""Front-matter dates: YAML forms plus the old CMS's `2020.02.22 18:23:45`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

_DATE_RE = re.compile(
    r"""^(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})\s*日?
    (?:[\sT]+(?P<H>\d{1,2})[:时](?P<M>\d{2})(?:[:分](?P<S>\d{2})(?:\.\d+)?)?秒?)?
    \s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$""",
    re.VERBOSE,
)


class DateError(ValueError):
    """Carries a Chinese and an English explanation."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _shown(value: object) -> str:
    """The value for a message: a 5,000-digit date is shown by its start."""
    text = str(value)
    return text if len(text) <= 40 else text[:30] + "…"


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Return an aware datetime; dates without a time are midnight in `tz`.

    Raises DateError for what is not a date, a date that does not exist, and a date
    outside the calendar once moved to `tz` (9999-12-31 23:00 -12:00 is year 10000).
    """
    if isinstance(value, datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=tz), value, tz)
    if isinstance(value, date):
        return _in_range(datetime(value.year, value.month, value.day, tzinfo=tz), value, tz)
    text = str(value).strip() if isinstance(value, (str, int)) else None
    match = _DATE_RE.match(text) if text and len(text) < 100 else None
    if not match:
        raise DateError(
            f"无法识别的日期“{_shown(value)}”。请写成 2020-02-22 18:23:45 或 2020.02.22 18:23:45。",
            f"cannot read date {_shown(value)!r}; write it as 2020-02-22 18:23:45",
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "tz"}
    if parts["y"] < 1:
        raise _out_of_range(value)
    try:
        when = datetime(
            parts["y"], parts["m"], parts["d"],
            parts.get("H", 0), parts.get("M", 0), parts.get("S", 0),
            tzinfo=_offset(match["tz"]) if match["tz"] else tz,
        )
    except ValueError:
        raise DateError(
            f"日期“{value}”不存在（请检查月份、日期和时间，例如 2 月没有 30 日）。",
            f"date {value!r} does not exist",
        ) from None
    return _in_range(when, value, tz)


def _in_range(when: datetime, value: object, tz: tzinfo) -> datetime:
    """`when`, if it can be moved to `tz` and to UTC (for sorting) without leaving years 1-9999."""
    try:
        when.astimezone(tz)
        when.astimezone(UTC)
    except (OverflowError, ValueError):
        raise _out_of_range(value) from None
    return when


def _out_of_range(value: object) -> DateError:
    return DateError(
        f"日期“{_shown(value)}”超出范围：换算到网站时区后，年份须在 1 到 9999 之间。请检查年份和时区。",
        f"date {_shown(value)!r} is out of range (years 1 to 9999 in the site's time zone)",
    )
