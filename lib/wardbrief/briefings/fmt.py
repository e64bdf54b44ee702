"""How numbers and dates are written for Vietnamese readers.

`27/11/2026`, `Đông Hải, ngày 27 tháng 11 năm 2026`, `92,5%` (decimal comma),
`1.234` (thousands dot), `04` (counts below ten in formal text), and the change
against the previous period (`▲ tăng 12`). Dates come from metrics.json as
`YYYY-MM-DD` strings or as `date` objects; both are accepted. Nothing here
computes a figure: it only writes one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from wardbrief.briefings import labels
from wardbrief.read.privacy import shorten

DASH = labels.NOT_AVAILABLE
UP, DOWN, SAME = "▲", "▼", "="


def as_date(value: date | str | None) -> date | None:
    """A date from metrics.json (`YYYY-MM-DD`, possibly with a time) or a date object."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def date_vn(value: date | str | None) -> str:
    """`27/11/2026`; `—` for no date."""
    d = as_date(value)
    return DASH if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def datetime_vn(value: datetime | str | None) -> str:
    """`27/11/2026 07:30` for a timestamp (e.g. when a snapshot was taken)."""
    if value is None or value == "":
        return DASH
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return f"{date_vn(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def month_vn(value: date | str) -> str:
    """`11/2026`: the month of a date, as in "tháng 11/2026"."""
    d = as_date(value)
    return DASH if d is None else f"{d.month:02d}/{d.year}"


def date_line(place: str, value: date | str) -> str:
    """`Đông Hải, ngày 27 tháng 11 năm 2026` — the place-and-date line of a formal document.

    As Nghị định 30/2020/NĐ-CP asks, a day below 10 and the months 1 and 2 take a
    leading zero (`ngày 05 tháng 02 năm 2026`, `ngày 27 tháng 11 năm 2026`).
    """
    d = as_date(value)
    if d is None:
        return f"{place}, ngày      tháng      năm     "
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def period_vn(period: dict | None) -> str:
    """A report period (metrics `period`) as it reads after "Báo cáo …": `tháng 11/2026`,
    `quý IV năm 2026`, `6 tháng đầu năm 2026`, `năm 2026`; else `từ ngày … đến ngày …`."""
    if not period:
        return ""
    kind, label = period.get("kind"), str(period.get("label") or "")
    year = label[:4]
    if kind == "month":
        return labels.PERIOD_NAMES["month"].format(month=label[5:7], year=year)
    if kind == "quarter":
        return labels.PERIOD_NAMES["quarter"].format(
            quarter=ROMAN_QUARTERS[int(label[-1]) - 1], year=year)
    if kind == "half_year":
        return labels.PERIOD_NAMES["half_year_" + label[-1]].format(year=year)
    if kind == "year":
        return labels.PERIOD_NAMES["year"].format(year=year)
    return labels.PERIOD_NAMES["dates"].format(start=date_vn(period.get("start")),
                                               end=date_vn(period.get("end")))


def int_vn(value: float | None) -> str:
    """`1.234.567` (thousands dot); `—` for none."""
    if value is None:
        return DASH
    number = int(value)
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def count_formal(value: int | None) -> str:
    """A count in formal text: below ten with a leading zero (`04`), else as int_vn."""
    if value is None:
        return DASH
    number = int(value)
    return f"{number:02d}" if 0 < number < 10 else int_vn(number)


def _decimal_vn(value: float, digits: int, keep_zeros: bool = False) -> str:
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    text = f"{rounded:,.{digits}f}"  # 1,234.5
    whole, _, frac = text.partition(".")
    whole = whole.replace(",", ".")
    frac = frac if keep_zeros else frac.rstrip("0")
    return f"{whole},{frac}" if frac else whole


def percent_vn(rate: float | None, digits: int = 1) -> str:
    """`92,5%` from the fraction 0.925, `100,0%` from 1.0 — every rate with one decimal,
    rounded half up (the one rule of every briefing); `—` for None (no denominator)."""
    if rate is None:
        return DASH
    return _decimal_vn(float(rate) * 100, digits, keep_zeros=True) + "%"


def points_vn(current: float | None, previous: float | None) -> float | None:
    """The change between two rates in percentage points, as the shown rates differ
    (one decimal each), so that 59,1% against 69,1% reads as 10,0 points."""
    if current is None or previous is None:
        return None
    shown = [Decimal(repr(float(r) * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
             for r in (current, previous)]
    return float(shown[0] - shown[1])


def number_vn(value: float | None, digits: int = 1) -> str:
    """`12,5`, `3,0` — a decimal number with the decimal comma, `digits` decimals kept."""
    return DASH if value is None else _decimal_vn(float(value), digits, keep_zeros=True)


def day_month_range(start: date | str | None, end: date | str | None) -> str:
    """`từ 14/11 đến 20/11/2026` (the start's year only when it differs from the end's)."""
    s, e = as_date(start), as_date(end)
    if s is None or e is None:
        return ""
    first = f"{s.day:02d}/{s.month:02d}" + ("" if s.year == e.year else f"/{s.year}")
    return f"từ {first} đến {date_vn(e)}"


def change_arrow(current: float | None, previous: float | None) -> str:
    """▲ (up), ▼ (down), = (same); empty when either side is missing."""
    if current is None or previous is None:
        return ""
    if current > previous:
        return UP
    if current < previous:
        return DOWN
    return SAME


def change_words(current: float | None, previous: float | None, *, rate: bool = False) -> str:
    """`tăng 12`, `giảm 3`, `không đổi`; for rates in percentage points (`tăng 2,3 điểm %`)."""
    if current is None or previous is None:
        return DASH
    diff = current - previous
    if rate:
        points = points_vn(current, previous) or 0.0
        if points == 0:
            return labels.UNCHANGED
        word = labels.INCREASE if points > 0 else labels.DECREASE
        return f"{word} {_decimal_vn(abs(points), 1, keep_zeros=True)} {labels.PERCENT_POINTS}"
    if diff == 0:
        return labels.UNCHANGED
    word = labels.INCREASE if diff > 0 else labels.DECREASE
    return f"{word} {int_vn(abs(diff))}"


def change_vn(current: float | None, previous: float | None, *, rate: bool = False) -> str:
    """`▲ tăng 12` / `▼ giảm 2,3 điểm %` / `= không đổi`; `—` when a side is missing."""
    words = change_words(current, previous, rate=rate)
    if words == DASH:
        return DASH
    if words.startswith(labels.INCREASE):
        return f"{UP} {words}"
    if words.startswith(labels.DECREASE):
        return f"{DOWN} {words}"
    return f"{SAME} {words}"


def cap_text(text: object, limit: int = 200) -> str:
    """The text on one line, cut at `limit` characters with an ellipsis (defensive cap;
    the engine already shortens citizen text)."""
    if text is None:
        return ""
    return shorten(" ".join(str(text).split()), limit)


# The kind of unit a ward's name begins with, as its words' keys (read.names.key).
_UNIT_WORDS = (("phuong",), ("xa",), ("thi", "tran"))


def ward_in_text(ward: str) -> str:
    """`phường Đông Hải` for `Phường Đông Hải`: the kind of unit in lower case, as it reads
    inside a sentence ("Ủy ban nhân dân phường Đông Hải"); a name without one unchanged."""
    from wardbrief.read.names import key

    words = ward.split()
    for unit in _UNIT_WORDS:
        if len(words) > len(unit) and tuple(key(w) for w in words[:len(unit)]) == unit:
            return " ".join([w.lower() for w in words[:len(unit)]] + words[len(unit):])
    return ward
