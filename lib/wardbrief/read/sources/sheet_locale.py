"""A Google Sheet's locale decides how Sheets reads a date typed into a cell.

Typed `05/11/2026`, a sheet in `vi_VN` (or any day-first locale) stores 5 November; one
in `en_US` stores 11 May before the API ever returns it, as a plain date serial that no
reader can tell from a right one. So a sheet whose locale does not read dates day-first
cannot give true figures: `locale_issues` makes that a source-level error (row null)
that `read.contract.read_workbook` adds to the workbook's issues.

The order comes from a small table of the locales Google Sheets offers that are not
day-first (the United States and the places that write dates its way, the year-first
locales of East Asia, Canada, Hungary, Lithuania, Sweden, South Africa, Iran); a locale
not in it is looked up in babel's CLDR data when babel is installed, else taken as
day-first (the rest of the world's order).
"""

from __future__ import annotations

from wardbrief.read.issues import DataIssue
from wardbrief.read.sources.base import SOURCE_SHEET, RawWorkbook

VIETNAM_LOCALE = "vi_VN"
VIETNAM_TIME_ZONE = "Asia/Ho_Chi_Minh"
MONTH_FIRST = frozenset({
    "en", "en_US", "en_PH", "fil", "fil_PH", "es_PA", "es_PR", "en_AS", "en_GU", "en_MH",
    "en_MP", "en_PR", "en_UM", "en_VI", "en_FM", "en_PW", "chr_US", "haw_US",
})
YEAR_FIRST = frozenset({
    "zh", "zh_CN", "zh_TW", "ja", "ja_JP", "ko", "ko_KR", "hu", "hu_HU", "en_CA", "fr_CA",
    "sv", "sv_SE", "lt", "lt_LT", "en_ZA", "af_ZA", "fa", "fa_IR", "mn", "mn_MN", "eu_ES",
})


def date_order(locale: str) -> str:
    """'DMY', 'MDY' or 'YMD': the order in which the locale reads a typed date."""
    tag = locale.replace("-", "_").strip()
    if tag in MONTH_FIRST:
        return "MDY"
    if tag in YEAR_FIRST:
        return "YMD"
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # babel is optional: the common order
        return "DMY"
    try:
        pattern = Locale.parse(tag).date_formats["short"].pattern
    except (UnknownLocaleError, ValueError, TypeError, KeyError):  # a tag babel lacks
        return "DMY"
    positions = {part: pattern.find(part) for part in ("d", "M", "y") if part in pattern}
    order = "".join(sorted(positions, key=positions.__getitem__)).upper()
    return order if len(order) == 3 else "DMY"


def locale_issues(locale: str | None, link: str | None = None) -> list[DataIssue]:
    """One source-level error when the sheet's locale does not read dates day-first."""
    if not locale:
        return []
    order = date_order(locale)
    if order == "DMY":
        return []
    if order == "MDY":
        effect_vi = "ngày gõ tay được đọc tháng trước: 05/11/2026 thành ngày 11 tháng 5"
        effect_en = "typed dates are read month-first: 05/11/2026 becomes 11 May"
    else:
        effect_vi = "ngày gõ tay không được đọc theo thứ tự ngày/tháng/năm (05/11/2026)"
        effect_en = "typed dates are not read day/month/year (05/11/2026)"
    message = (
        f"Bảng tính đặt Ngôn ngữ và khu vực là {locale}: {effect_vi}, nên các số liệu "
        "không đúng. Cách sửa: Tệp -> Cài đặt -> Ngôn ngữ và khu vực: Việt Nam, rồi "
        "kiểm tra lại mọi ngày đã gõ trước khi đổi (chúng không tự sửa). / "
        f"The spreadsheet's locale is {locale}: {effect_en}, so the figures are wrong. "
        "Fix: File -> Settings -> Locale: Vietnam, then check every date typed before "
        "the change (they do not correct themselves)."
    )
    return [DataIssue(sheet=SOURCE_SHEET, row=None, column=None, severity="error",
                      message=message, link=link)]


def set_locale(raw: RawWorkbook, locale: str | None, time_zone: str | None) -> None:
    """Record the sheet's locale and time zone on `raw`, with the locale's issue."""
    raw.locale, raw.time_zone = locale or None, time_zone or None
    link = f"{raw.location}/edit" if raw.location.startswith("https://") else None
    raw.source_issues = locale_issues(raw.locale, link)
