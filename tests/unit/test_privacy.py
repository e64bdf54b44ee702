"""read.privacy: phones, e-mail addresses and reporter names masked in citizen text, in
linear time whatever the text (steps and lookups counted, never timed)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from regex_steps import finditer_steps
from wardbrief.read import name_forms, privacy
from wardbrief.read.privacy import (
    EMAIL_MASK,
    PHONE_MASK,
    NameMatcher,
    mask_name,
    mask_summaries,
    mask_text,
)


@pytest.mark.parametrize("phone", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "0912/345/678",
    "0912 - 345 - 678", "0912_345_678", "0912–345–678", "0912—345—678", "0912·345·678",
    "0912:345:678", "0912\u200b345\u200b678", "0912\u00a0345\u00a0678", "(0912) 345 678",
    "+84 912 345 678", "+84912345678", "+84-912-345-678", "84 912 345 678",
    "(+84) 912.345.678", "0225 3842 123", "912345678", "０９１２３４５６７８",
])
def test_phone_written_any_way_is_masked(phone):
    out = mask_text(f"Chị Lan gọi {phone} báo ngập")
    assert PHONE_MASK in out
    assert "345" not in out and "678" not in out and "3842" not in out, out


@pytest.mark.parametrize("text", [
    "Hẹn 27/11/2026 lúc 08:30", "ngày 27/11/2026 08:30:15", "2026-11-27 09:15",
    "số nhà 12, tổ 5", "10000000 đồng", "mã PA20261234567", "PA-2026-0001",
    "từ 27/11/2026 đến 30/11/2026",
])
def test_dates_counts_and_codes_are_not_phones(text):
    assert mask_text(text) == text


@pytest.mark.parametrize("text, expected", [
    ("SĐT: 3842 999, gọi 842999.", f"SĐT: {PHONE_MASK}, gọi {PHONE_MASK}."),
    ("đt 3.842.999; điện thoại 0912 345 67; dien thoai 912345",
     f"đt {PHONE_MASK}; điện thoại {PHONE_MASK}; dien thoai {PHONE_MASK}"),
    ("liên hệ số 842 999, Zalo: 3842999", f"liên hệ số {PHONE_MASK}, Zalo: {PHONE_MASK}"),
    ("sdt 0912345xxx hoặc 0987.654.***", f"sdt {PHONE_MASK} hoặc {PHONE_MASK}"),
    # no word saying so, or fewer than 6 digits: not a phone number
    ("hỗ trợ 2.000.000 đồng, nhà 123456 m2", "hỗ trợ 2.000.000 đồng, nhà 123456 m2"),
    ("gọi 1022, gọi 115, gọi lúc 27/11/2026 08:30", "gọi 1022, gọi 115, gọi lúc 27/11/2026 08:30"),
    ("hotline 1900 1234", "hotline 1900 1234"),
])
def test_a_shorter_number_after_a_word_for_phone_or_ending_in_x_is_masked(text, expected):
    assert mask_text(text) == expected


def test_a_date_beside_a_phone_keeps_the_date():
    assert mask_text("27/11/2026 0912345678") == f"27/11/2026 {PHONE_MASK}"


@pytest.mark.parametrize("email", ["an.nguyen@gmail.com", "lan+pa@donghai.haiphong.gov.vn",
                                   "Thu_Ha-01@yahoo.com.vn"])
def test_email_addresses_are_masked(email):
    out = mask_text(f"Gửi về {email} giúp em")
    assert out == f"Gửi về {EMAIL_MASK} giúp em"


NAMES = ["Bùi Thế Dũng", "Lê Na", "Hằng", "Nguyễn Thị Lan Anh"]


@pytest.mark.parametrize("text, expected", [
    ("Đã gọi Bùi Thế Dũng", "Đã gọi B.T.D."),
    ("Đã gọi BUI THE DUNG", "Đã gọi B.T.D."),
    ("đã gọi bùi-thế-dũng.", "đã gọi B.T.D.."),
    ("Ông Bui The  Dung phản ánh", "Ông B.T.D. phản ánh"),
    ("Chị Lê Na và chị le na", "Chị L.N. và chị L.N."),
    ("Chị Hằng báo, hằng ngày", "Chị H. báo, H. ngày"),  # one word: exact spelling only
    ("Hang báo", "Hang báo"),
    ("Chị Hang báo", "Chị H. báo"),  # after a title, any capitalised name
    ("Nguyễn Thị Lan Anh và Nguyễn Thị Lan", "N.T.L.A. và Nguyễn Thị Lan"),
    ("Bùi Thế", "Bùi Thế"),
])
def test_names_with_and_without_diacritics(text, expected):
    assert mask_text(text, NameMatcher(NAMES)) == expected


def test_nfd_names_and_text():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Bùi Thế Dũng")
    assert mask_text(f"gọi {nfd}", NameMatcher(["Bùi Thế Dũng"])) == "gọi B.T.D."
    assert mask_text("gọi Bùi Thế Dũng", NameMatcher([nfd])) == "gọi B.T.D."


class _Counted(set):
    """A set (or, with `lookups` of a dict, a dict's keys) that counts its lookups."""

    lookups = 0

    def __contains__(self, item: object) -> bool:
        type(self).lookups += 1
        return super().__contains__(item)


def _lookups(matcher: NameMatcher, text: str) -> tuple[str, int]:
    """mask_text(text, matcher) and the lookups it made in the matcher's names."""

    class Keys(_Counted):
        lookups = 0

    class First(dict):
        def __contains__(self, item: object) -> bool:
            Keys.lookups += 1
            return super().__contains__(item)

    matcher.keys, matcher.single = Keys(matcher.keys), Keys(matcher.single)
    matcher.first = First(matcher.first)
    out = mask_text(text, matcher)
    return out, Keys.lookups


def test_any_number_of_reporters_is_masked():
    """Each word of the text is looked up in the names a few times, whatever their number:
    50,000 reporters cost the masking of a text what ten do."""
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    middle = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh", "Xuân"]
    given = [f"Tên{i}" for i in range(500)]
    names = [f"{f} {m} {g}" for f in family for m in middle for g in given]  # 50,000
    text = "Ông Đỗ Xuân Tên499 và Bui Thi Ten7, Trần Văn"
    out, many = _lookups(NameMatcher(names), text)
    assert out == "Ông Đ.X.T. và B.T.T., Trần Văn"
    few_out, few = _lookups(NameMatcher(["Đỗ Xuân Tên499", "Bùi Thị Tên7", *names[:8]]), text)
    assert few_out == out
    assert 0 < many == few <= 4 * len(text.split())


def test_summaries_mask_the_own_reporter_and_every_other():
    summaries = pd.Series(["Bà Trần Thị Mơ gọi 0903 111 222", "Gặp Lê Văn Tư và Trần Thị Mơ",
                           None])
    reporters = pd.Series(["Trần Thị Mơ", "Lê Văn Tư", "X"])
    out = mask_summaries(summaries, reporters, NameMatcher(reporters))
    assert out == [f"Bà T.T.M. gọi {PHONE_MASK}", "Gặp L.V.T. và T.T.M.", None]


def test_mask_name():
    assert mask_name("Nguyễn Văn An") == "N.V.A."
    assert mask_name("đào thị hằng") == "Đ.T.H."
    assert mask_name(None) is None and mask_name(float("nan")) is None


# Hostile texts: (unit, before, after), the unit repeated. The old phone pattern,
# [+(\d][\d\s().\-]{7,}\d, took steps growing with the square of a run of '(': a page of
# them in one summary held a run for minutes.
HOSTILE = [("(", "", ""), ("(", "", "1"), ("1(", "", ""), (" (", "0", "x"), ("1 ", "", "x"),
           ("x", "1-" * 7, ""), ("a", "", "@"), ("@", "", ""), ("a.", "", "@b"),
           ("a" * 60 + "@", "", ""), ("1/", "", ""), ("12:", "", ""), ("x", "", ""),
           ("0", "", ""), ("09 ", "+", "x"), ("1.", "", "@"), ("1/1/", "", "1"),
           ("ông ", "", ""), ("Bà Hà ", "", "0"), ("_", "", "@a.bc"), ("\u200b1", "", "")]
PATTERNS = {f"{module.__name__.rpartition('.')[2]}.{name}": value  # every pattern that
            for module in (privacy, name_forms)                 # sees citizen text
            for name, value in vars(module).items() if isinstance(value, re.Pattern)}


def hostile(unit: str, before: str, after: str, length: int) -> str:
    return before + unit * (length // len(unit)) + after


def test_every_pattern_of_the_module_is_checked():
    assert set(PATTERNS) >= {"privacy._DIGITS", "privacy._PHONE_CUE", "privacy._HIDDEN_DIGITS",
                             "privacy._DATE_OR_TIME", "privacy._EMAIL", "privacy._WORD",
                             "name_forms._TITLE_HINT", "name_forms._WORD"}


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_pattern_takes_steps_linear_in_hostile_text(name):
    """Counted on a backtracking matcher (tests/regex_steps.py), which finds what `re`
    finds: twice the text takes about twice the steps (a pattern that can match a run in
    many ways takes four times or more), and a few hundred steps per character at most."""
    pattern = PATTERNS[name]
    for unit, before, after in HOSTILE:
        counted = {}
        for length in (200, 400):
            text = hostile(unit, before, after, length)
            steps, spans = finditer_steps(pattern, text, budget=1_000 * len(text))
            assert spans == [m.span() for m in pattern.finditer(text)], (unit, length)
            assert steps <= 400 * len(text), (unit, length, steps)
            counted[length] = steps
        assert counted[400] <= 2.5 * counted[200], (unit, counted)


def test_a_pattern_with_overlapping_repetitions_is_found_superlinear():
    """The check above can fail: the old phone pattern takes four times the steps on
    twice the '('."""
    old = re.compile(r"[+(\d][\d\s().\-]{7,}\d")
    short, _ = finditer_steps(old, "(" * 100)
    long, _ = finditer_steps(old, "(" * 200)
    assert long > 3.5 * short > 2.5 * short


@pytest.mark.parametrize("limit", [160, 320])
def test_masking_gives_no_pattern_more_than_a_few_times_the_limit(monkeypatch, limit):
    """Text is cut to limit * 4 characters before any pattern sees it, however long."""
    seen: list[int] = []

    class Watched:
        def __init__(self, pattern: re.Pattern) -> None:
            self.pattern = pattern

        def __getattr__(self, name: str):
            method = getattr(self.pattern, name)

            def call(*args, **kwargs):
                seen.append(max((len(a) for a in args if isinstance(a, str)), default=0))
                return method(*args, **kwargs)

            return call

    for qualified, pattern in PATTERNS.items():
        module, _, name = qualified.partition(".")
        monkeypatch.setattr({"privacy": privacy, "name_forms": name_forms}[module], name,
                            Watched(pattern))
    for unit, before, after in HOSTILE:
        text = hostile(unit, before, after, 32_000)
        out = mask_text(text, NameMatcher(NAMES), limit=limit)
        assert len(out) <= limit
    assert seen and max(seen) <= limit * 4


def test_long_text_is_cut_before_it_is_masked():
    text = "Chị Lan gọi 0912 345 678 " + "ngập " * 100_000
    out = mask_text(text, limit=160)
    assert len(out) <= 160 and out.startswith(f"Chị L. gọi {PHONE_MASK} ngập")


def test_one_summary_masker_for_several_lists_masks_as_each_alone():
    """figures.metrics masks the overdue, late and due-soon lists with one SummaryMasker
    (each distinct text masked once): each list comes out as mask_summaries gives it."""
    from wardbrief.read.privacy import SummaryMasker

    known = NameMatcher(["Trần Thị Mơ", "Lê Văn Tư"])
    lists = [
        (["Bà Trần Thị Mơ gọi 0903 111 222", "Hằng báo ngập", "Bùi Thế Dũng gọi lại"],
         ["Trần Thị Mơ", "Hằng", "Bùi Thế Dũng"]),
        (["Hằng báo ngập", "Bùi Thế Dũng gọi lại", "Gặp Lê Văn Tư", None],
         ["Lan", "Đỗ Văn Hải", "Bùi Thế Dũng", "X"]),
        (["Chị  Hằng\u200b báo ngập " + "rất " * 60, "Liên hệ bui the dung qua a.b@gmail.com"],
         ["Hằng", "Bùi Thế Dũng"]),
    ]
    masker = SummaryMasker(known)
    outs = [masker(pd.Series(texts), pd.Series(owners)) for texts, owners in lists]
    assert outs == [mask_summaries(pd.Series(t), pd.Series(o), known) for t, o in lists]
    assert outs[0] == [f"Bà T.T.M. gọi {PHONE_MASK}", "H. báo ngập", "B.T.D. gọi lại"]
    # the same text with another reporter: their own name only is masked
    assert outs[1][:3] == ["Hằng báo ngập", "Bùi Thế Dũng gọi lại", "Gặp L.V.T."]
    # after a title a name is masked whoever the reporter is
    assert masker(pd.Series(["Ông Bùi Thế Dũng gọi lại"]), pd.Series(["X"])) == [
        "Ông B.T.D. gọi lại"]
    assert outs[1][3] is None
    assert outs[2][0].startswith("Chị H. báo ngập rất") and len(outs[2][0]) <= 160
    assert outs[2][1] == f"Liên hệ B.T.D. qua {EMAIL_MASK}"


@pytest.mark.parametrize("text, expected", [
    ("nhà ông Ngô Văn Sáu, tổ 5", "nhà ông N.V.S., tổ 5"),
    ("Bà Nguyễn Thị Hoa (0912 345 678) phản ánh", f"Bà N.T.H. ({PHONE_MASK}) phản ánh"),
    ("đơn của cụ TẠ ĐÌNH PHONG", "đơn của cụ T.Đ.P."),
    ("em Lý Gia Huy báo; anh Tráng gọi", "em L.G.H. báo; anh T. gọi"),
    ("Chị  Mạc Thị Bưởi", "Chị M.T.B."),
    ("Ông B.T.D. phản ánh", "Ông B.T.D. phản ánh"),  # initials are not masked twice
    ("phố Bà Triệu, chợ Ông Tạ, cầu Ông Lãnh", "phố Bà Triệu, chợ Ông Tạ, cầu Ông Lãnh"),
    ("các em học sinh, bà con tổ 5", "các em học sinh, bà con tổ 5"),
    ("Gặp bà. Ngày mai", "Gặp bà. Ngày mai"),  # a name is in one run of words
    # the title typed without its marks; ông abbreviated; cháu
    ("chi Lan (Nguyen Thi Lan) gọi", "chi L. (Nguyen Thi Lan) gọi"),
    ("ong Tran Van Binh phan anh", "ong T.V.B. phan anh"),
    ("Ô. Trần Văn Tư, tổ 3", "Ô. T.V.T., tổ 3"),
    ("cháu Minh bị ngã", "cháu M. bị ngã"),
    # a name in small letters after a title: a surname first
    ("bà nguyễn thị hoa phản ánh", "bà N.T.H. phản ánh"),
    ("anh vũ nam gọi", "anh V.N. gọi"),
    ("ong tran van binh phan anh", "ong T.V.B. phan anh"),
    ("chị đỗ thị lan báo", "chị Đ.T.L. báo"),
    ("bà phan thị mơ", "bà P.T.M."),
    # ... and not common words after a title
    ("bà phản ánh, chi phan anh lai", "bà phản ánh, chi phan anh lai"),
    ("anh đỗ xe trước nhà, ông đồng ý, bà từ chối", "anh đỗ xe trước nhà, ông đồng ý, bà từ chối"),
    ("ông đang xây, anh ta nói, bà con, chị em, ông trưởng thôn",
     "ông đang xây, anh ta nói, bà con, chị em, ông trưởng thôn"),
    ("ngã ba Lê Lợi, ba Tổ dân phố, Ô tô đỗ", "ngã ba Lê Lợi, ba Tổ dân phố, Ô tô đỗ"),
    ("đường Nguyễn Văn Linh, tuyến Bùi Thị Từ Nhiên", "đường Nguyễn Văn Linh, tuyến Bùi Thị Từ Nhiên"),
    # after a label, from a surname on
    ("công dân Nguyễn Văn Bình, tổ 5", "công dân N.V.B., tổ 5"),
    ("hộ Trần Văn Tư xây lấn; Họ tên: Lê Thị Cúc", "hộ T.V.T. xây lấn; Họ tên: L.T.C."),
    ("gia đình pham van hung, ho ten: do thi lan, tên là Vũ Nam",
     "gia đình P.V.H., ho ten: D.T.L., tên là V.N."),
    ("người dân Tổ 5, hộ Kinh doanh, tên đường, Người dân phố Cát Bi",
     "người dân Tổ 5, hộ Kinh doanh, tên đường, Người dân phố Cát Bi"),
])
def test_a_name_after_a_title_is_masked(text, expected):
    assert mask_text(text) == expected


def test_heads_of_departments_stay():
    names = NameMatcher(["Nguyễn Văn An", "Lê Na"])
    names.keep(["Nguyễn Văn An"])
    assert mask_text("anh Nguyễn Văn An gặp Lê Na và ông Trần Bá", names) == (
        "anh Nguyễn Văn An gặp L.N. và ông T.B.")


def test_a_case_id_is_not_a_phone():
    assert mask_text("Mã phản ánh PA-2026-000505 trùng") == "Mã phản ánh PA-2026-000505 trùng"
    assert mask_text("SĐT-0912345678") == f"SĐT-{PHONE_MASK}"


def test_personal_data_masks_the_declared_cells_only():
    from wardbrief.read.privacy import PERSONAL_CELLS, PersonalData

    people = PersonalData(NameMatcher(["Trần Thị Mơ"]))
    assert people.cells("PhanAnh", "area", ["nhà bà Trần Thị Mơ", None]) == ["nhà bà T.T.M.", None]
    assert people.cells("PhanAnh", "reporter", ["Trần Thị Mơ"]) == ["T.T.M."]
    assert people.cells("PhanAnh", "phone", ["0903 111 222"]) == ["*******222"]
    assert people.cells("NhiemVu", "lead", ["Trần Thị Mơ"]) == ["Trần Thị Mơ"]  # a code
    assert people.cells("PhanAnh", "summary", ["Gặp Lê Văn Tư"], ["Lê Văn Tư"]) == ["Gặp L.V.T."]
    assert {"summary", "area", "category", "status"} <= set(PERSONAL_CELLS["PhanAnh"])
    assert {"content", "group", "basis", "status"} <= set(PERSONAL_CELLS["NhiemVu"])


def test_a_reporter_typed_with_a_title_is_found_without_it():
    names = NameMatcher(["Bà Nguyễn Thị Hoa", "Ông Lê Na"])
    assert mask_text("Đã gọi nguyen thi hoa và LE NA", names) == "Đã gọi N.T.H. và L.N."
