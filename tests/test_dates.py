from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitegen.dates import DateError, parse_date

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("text, expected", [
    ("2020.02.22 18:23:45", datetime(2020, 2, 22, 18, 23, 45, tzinfo=SH)),  # the old CMS
    ("2020-02-22 18:23:45", datetime(2020, 2, 22, 18, 23, 45, tzinfo=SH)),
    ("2020-02-22T18:23", datetime(2020, 2, 22, 18, 23, tzinfo=SH)),
    ("2020/2/22", datetime(2020, 2, 22, tzinfo=SH)),
    ("2020年2月22日", datetime(2020, 2, 22, tzinfo=SH)),
    ("2020-02-22", datetime(2020, 2, 22, tzinfo=SH)),
])
def test_accepted_forms(text: str, expected: datetime) -> None:
    assert parse_date(text, SH) == expected


def test_explicit_offset_is_kept() -> None:
    parsed = parse_date("2020-02-22 10:00:00+00:00", SH)
    assert parsed.utcoffset() == timedelta(0)
    assert parsed.astimezone(SH).hour == 18


def test_utc_z() -> None:
    assert parse_date("2020-02-22T10:00:00Z", SH).tzinfo == UTC


def test_yaml_values() -> None:
    assert parse_date(date(2021, 7, 1), SH) == datetime(2021, 7, 1, tzinfo=SH)
    assert parse_date(datetime(2021, 7, 1, 9), SH) == datetime(2021, 7, 1, 9, tzinfo=SH)


@pytest.mark.parametrize("text", ["2021-02-30", "2021-13-01", "2021-01-01 25:00"])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(DateError, match="does not exist"):
        parse_date(text, SH)


@pytest.mark.parametrize("value", ["yesterday", "22/02/2020", "", None, [2020]])
def test_unreadable_dates(value: object) -> None:
    with pytest.raises(DateError, match="cannot read"):
        parse_date(value, SH)


@pytest.mark.parametrize("text", ["9999-12-31 23:00 -12:00", "9999-12-31 23:00 -01:00", "0001-01-01 07:00 +14:00",
                                  "0000-06-01"])
def test_dates_outside_the_calendar(text: str) -> None:
    """Valid as written, but past year 9999 or before year 1 in the site's zone or in UTC."""
    with pytest.raises(DateError, match="out of range") as info:
        parse_date(text, SH)
    assert "超出范围" in info.value.zh


def test_long_values_are_shortened_in_the_message() -> None:
    with pytest.raises(DateError, match="cannot read") as info:
        parse_date("2" * 5000, SH)
    assert len(info.value.en) < 150 and "…" in info.value.zh
