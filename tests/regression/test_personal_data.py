"""Citizens' names and phones typed into every free-text column never leave the suite
unmasked: `run all --send` on such a workbook, then every file under outputs/ (the
office's data-quality list aside) and every e-mail read as text and searched for each
planted name (any case, with or without diacritics) and phone number (any separators).

One run is shared by every test of the module (the machine is slow): the workbook is
built with tests/builders.py, mailed through tests/smtp_standin.py."""

from __future__ import annotations

import html as _html
import json
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import builders
import openpyxl
import pytest
from builders import D, case, post, task
from smtp_standin import SmtpStandIn, configure_mail
from wardbrief.commands import cli
from wardbrief.read.names import strip_marks

AS_OF = "2026-11-27"
LEADER = "chutich@donghai.gov.vn"
OFFICE = "vanphong@donghai.gov.vn"

# Reporters (`Người phản ánh`): masked wherever the sheet holds them.
HOA, BINH, HANG, KHANH, TUAN, MAI = ("Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Thu Hằng",
                                     "Phạm Quốc Khánh", "Đỗ Minh Tuấn", "Vũ Thị Mai")
# Named nowhere but in free text, after ông / bà / anh / chị / cụ / em.
SAU, BUOI, PHONG, HUY, TRANG, LUU = ("Ngô Văn Sáu", "Mạc Thị Bưởi", "Tạ Đình Phong",
                                     "Lý Gia Huy", "Đinh Công Tráng", "Hoàng Thị Lựu")
# ... typed in small letters, without marks, after `Ô.` (read.name_forms)
# and after a label (công dân, hộ, Họ tên:)
NGA, LUC, TAM, SON = ("Hồ Thị Nga", "Đào Văn Lực", "Kiều Thanh Tâm", "Giáp Văn Sơn")
NAMES = (HOA, BINH, HANG, KHANH, TUAN, MAI, SAU, BUOI, PHONG, HUY, TRANG, LUU, NGA, LUC, TAM,
         SON)
# Phones as staff type them; searched for by their digits after the leading 0 / +84.
PHONES = ("0912 345 678", "0987.654.321", "+84 903 111 222", "0225.3842.999",
          "0913-456-789", "0977222333", "0912 000 111", "0868 55 44 33", "0936.777.888",
          "3.846.555", "0904.321.xxx")  # the last two: after SĐT, and with its end hidden
EMAIL = "hoa.nguyen@gmail.com"
HEAD = "Nguyễn Văn An"  # head of VP in DonVi: stays

DEPARTMENTS = [
    ["Mã đơn vị", "Tên đơn vị", "Thủ trưởng", "Tên gọi khác", "Email"],
    ["VP", "Văn phòng HĐND - UBND", HEAD, "Văn phòng", "vp@donghai.gov.vn"],
    ["VHXH", "Phòng Văn hoá - Xã hội", "Trần Thị Bình", "Văn hóa", "vhxh@donghai.gov.vn"],
    ["KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị", "Lê Văn Cường", "Kinh tế",
     "kthtdt@donghai.gov.vn"],
    ["CA", "Công an phường", "Phạm Văn Dũng", "Công an", "conganphuong@donghai.gov.vn"],
]


@dataclass(frozen=True)
class Plant:
    """One planted cell: where it is, and the names and phones it holds."""

    tab: str
    column: str
    names: tuple[str, ...]
    phones: tuple[str, ...] = ()


PLANTS: list[Plant] = []


def planted(tab: str, column: str, text: str, names: tuple[str, ...] = (),
            phones: tuple[str, ...] = ()) -> str:
    PLANTS.append(Plant(tab, column, names, phones))
    return text


def hostile_book():
    """Every free-text column of PhanAnh, NhiemVu and TruyenThong with names and phones
    in it, in rows that every report lists: unanswered past due, answered late, due
    soon, tasks overdue and due soon, posts of the month, rows rejected."""
    p = planted
    cases = [
        case("PA-2026-000001", D("2026-10-01"), category="Môi trường", department="VP",
             summary=p("PhanAnh", "summary",
                       f"Bà {HOA} ({PHONES[0]}) phản ánh rác thải ở ngõ 5, gửi về {EMAIL}",
                       (HOA,), (PHONES[0],)),
             reporter=HOA, phone=PHONES[0],
             area=p("PhanAnh", "area", f"nhà ông {SAU}, tổ 5", (SAU,)),
             status=p("PhanAnh", "status", f"Chờ chị {BUOI} gọi lại {PHONES[1]}",
                      (BUOI,), (PHONES[1],))),
        case("PA-2026-000002", D("2026-11-23"), department="KTHTDT",
             category=p("PhanAnh", "category", f"{BINH} {PHONES[2]}", (BINH,), (PHONES[2],)),
             summary=p("PhanAnh", "summary", "ông TRAN VAN BINH hỏi về sổ đỏ", (BINH,)),
             reporter=BINH, phone=PHONES[2], area="Tổ 3"),
        case("PA-2026-000003", p("PhanAnh", "received", f"bà {HANG} gọi {PHONES[5]}",
                               (HANG,), (PHONES[5],)),
             category="Đất đai", department="VHXH", reporter=HANG, phone=PHONES[5]),
        case("PA-2026-000004", D("2026-11-02"), category="Môi trường", department="VHXH",
             responded=D("2026-11-25"), status="Đã trả lời", rating="Hài lòng",
             summary=p("PhanAnh", "summary", f"Đã gửi thư cho cụ {PHONG}, hẹn {PHONES[3]}",
                       (PHONG,), (PHONES[3],)),
             reporter=KHANH, phone=PHONES[3],
             area=p("PhanAnh", "area", f"Tổ 7, gần nhà anh {TRANG} và {KHANH.upper()}",
                    (TRANG, KHANH))),
        case("PA-2026-000005", D("2026-11-25"), category="Môi trường", department="CA",
             summary=p("PhanAnh", "summary",
                       f"em {HUY} báo lấn chiếm vỉa hè, liên hệ {PHONES[7]}",
                       (HUY,), (PHONES[7],)),
             reporter=TUAN, phone=PHONES[7],
             area=p("PhanAnh", "area", f"{strip_marks(HANG).lower()}, ngõ 12", (HANG,))),
        case("PA-2026-000006", D("2026-10-20"), category="Đất đai", department="KTHTDT",
             summary=p("PhanAnh", "summary", f"{MAI} khiếu nại ({PHONES[8]})", (MAI,),
                       (PHONES[8],)),
             reporter=f"Bà {MAI}", phone=PHONES[8], area="Tổ 9",  # typed with a title
             status=p("PhanAnh", "status", f"Đang xác minh với bà {LUU}", (LUU,))),
        case("PA-2026-000007", D("2026-10-05"), category="Môi trường", department="VP",
             summary=p("PhanAnh", "summary",
                       f"chi {strip_marks(NGA).lower()} và Ô. {LUC} báo ngập, "
                       f"nhờ bà {TAM.lower()} gọi lại; Họ tên: {SON}, SĐT {PHONES[9]} "
                       f"hoặc {PHONES[10]}", (NGA, LUC, TAM, SON), PHONES[9:11]),
             reporter=HOA, phone=PHONES[0], area="Tổ 2"),
        # the same id again: its message quotes the id as typed, not as a phone
        case("PA-2026-000001", D("2026-11-24"), category="Môi trường", department="VP",
             reporter=HOA),
    ]
    tasks = [
        task("NV-01", p("NhiemVu", "content",
                        f"Giải quyết đơn của bà {MAI}, SĐT {PHONES[4]}", (MAI,), (PHONES[4],)),
             group=p("NhiemVu", "group", f"Hộ ông {SAU}", (SAU,)),
             basis=p("NhiemVu", "basis", f"Đơn của chị {BUOI} ngày 01/11/2026", (BUOI,)),
             lead="VP", assigned=D("2026-11-02"), due=D("2026-11-20"), progress=40,
             status=p("NhiemVu", "status",
                      f"Vướng mắc: chờ anh {TRANG} bổ sung hồ sơ, {PHONES[1]}",
                      (TRANG,), (PHONES[1],))),
        task("NV-02", p("NhiemVu", "content", f"Đồng chí {HEAD} chủ trì họp với {HOA}",
                        (HOA,)),
             group="Đô thị", basis=p("NhiemVu", "basis", f"Kiến nghị của {BINH.upper()}",
                                     (BINH,)),
             lead="VP", assigned=D("2026-11-10"), due=D("2026-12-01"), progress=50),
        task("NV-03", "Rà soát hồ sơ đất đai", lead="KTHTDT",
             assigned=p("NhiemVu", "assigned", f"cụ {PHONG} {PHONES[6]}", (PHONG,),
                        (PHONES[6],)),
             due=D("2026-11-25")),
    ]
    posts = [
        post(D("2026-11-20"), "Facebook", department="VHXH",
             title=p("TruyenThong", "title", f"Gương sáng: bà {LUU} ({PHONES[6]})", (LUU,),
                     (PHONES[6],))),
        post(p("TruyenThong", "date", f"anh {TRANG}", (TRANG,)), "Zalo",
             title="Lịch tiêm chủng"),
        post(D("2026-11-25"), "Cổng thông tin", title="Thông báo lịch tiếp dân"),
    ]
    return builders.book(cases=cases, tasks=tasks, posts=posts, departments=DEPARTMENTS)


BOOK = hostile_book()  # PLANTS filled: one test per planted cell


# --- what a reader could find ---------------------------------------------------------------

def _key(text: str) -> str:
    """Lower case, no diacritics, one space between words."""
    return " ".join(re.findall(r"\w+", strip_marks(text).lower()))


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("84") else digits.lstrip("0")


def leaks(text: str, names=NAMES, phones=PHONES) -> set[str]:
    """The planted names and phones `text` shows unmasked."""
    words = f" {_key(text)} "
    runs = re.sub(r"(?<=\d)[^\w]{0,3}(?=\d)", "", text)  # 0912 345 678 -> 0912345678
    found = {n for n in names if f" {_key(n)} " in words}
    found |= {ph for ph in phones if _digits(ph) in runs}
    if EMAIL in text:
        found.add(EMAIL)
    return found


def text_of(path: Path) -> str:
    """What a reader sees in a file, whatever its kind."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
    if suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            return " ".join(docx.read(n).decode("utf-8") for n in docx.namelist()
                            if n.startswith("word/") and n.endswith(".xml"))
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return "\n".join(" ".join("" if v is None else str(v) for v in row)
                         for sheet in book for row in sheet.iter_rows(values_only=True))
    if suffix == ".ipynb":  # the executed notebook: its outputs are what was shown
        return path.read_text(encoding="utf-8")
    return path.read_bytes().decode("utf-8", errors="replace")


@dataclass
class Run:
    out: Path
    code: int
    printed: str
    messages: list = field(default_factory=list)
    files: dict[Path, str] = field(default_factory=dict)  # every file under outputs/
    mails: list[str] = field(default_factory=list)  # mail_text of each message, in order

    def data_quality(self, path: Path) -> bool:
        """The office's data-quality list: its folder and the `Lỗi dữ liệu` tab's twin."""
        parts = path.relative_to(self.out).parts  # <as-of>/<report>, or .<report>.v<n>
        return len(parts) > 2 and parts[1].lstrip(".").split(".")[0] == "data_quality"

    def shown(self) -> dict[Path, str]:
        return {p: t for p, t in self.files.items() if not self.data_quality(p)}

    def leaked(self) -> dict[str, set[str]]:
        found = {str(p.relative_to(self.out)): leaks(t) for p, t in self.shown().items()}
        for i, (message, text) in enumerate(zip(self.messages, self.mails, strict=True)):
            found[f"e-mail {i} to {', '.join(message.rcpt_tos)}"] = leaks(text)
        return {k: v for k, v in found.items() if v}


HTML_TAG = re.compile(r"<[^>]+>")


def mail_text(received) -> str:
    """Subject, body and every attachment of a message, as its reader sees them."""
    message = received.message
    parts = [str(message["Subject"]), message.get_body(("plain",)).get_content()]
    html = message.get_body(("html",))
    if html is not None:  # the HTML alternative, as text (escaped characters read back)
        parts.append(HTML_TAG.sub(" ", _html.unescape(html.get_content())))
    with tempfile.TemporaryDirectory() as folder:
        for part in message.iter_attachments():
            path = Path(folder) / (part.get_filename() or "attachment")
            content = part.get_content()
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
            parts += [path.name, text_of(path)]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    folder = tmp_path_factory.mktemp("personal")
    source = builders.write_xlsx(BOOK, folder / "donghai.xlsx")
    out = folder / "outputs"
    with pytest.MonkeyPatch.context() as patch, SmtpStandIn(folder) as server:
        configure_mail(folder, server, patch, [LEADER], OFFICE)
        code = cli.main(["run", "all", "--source", str(source), "--as-of", AS_OF,
                         "--out", str(out), "--send"])
        messages = list(server.messages)
    files = {p: text_of(p) for p in sorted(out.rglob("*")) if p.is_file()}  # _sent.jsonl too
    return Run(out, code, "", messages, files, [mail_text(m) for m in messages])


def test_the_run_publishes_every_kind_of_output_and_mails_it(run):
    assert run.code == 0
    kinds = {p.suffix for p in run.shown()}
    assert {".pdf", ".html", ".json", ".csv", ".xlsx", ".docx"} <= kinds
    # the leadership, a head of department (a reminder), the office (the data-quality list)
    assert {tuple(m.rcpt_tos) for m in run.messages} >= {(LEADER,), ("kthtdt@donghai.gov.vn",),
                                                         (OFFICE,)}
    # every planted cell reached the figures' inputs: the lists the reports show
    weekly = json.loads((run.out / AS_OF / "weekly_briefing" / "metrics.json").read_text())
    assert {c["case_id"] for c in weekly["cases"]["overdue_cases"]} >= {"PA-2026-000001"}
    assert {c["case_id"] for c in weekly["cases"]["late_cases"]} == {"PA-2026-000004"}
    assert {c["case_id"] for c in weekly["cases"]["due_soon_cases"]} >= {"PA-2026-000005"}


def test_no_planted_name_or_phone_in_any_output_or_e_mail(run):
    assert run.leaked() == {}


@pytest.mark.parametrize("suffix", [".pdf", ".html", ".json", ".csv", ".xlsx", ".docx"])
def test_each_kind_of_file_shows_the_cells_masked(run, suffix):
    files = {p: t for p, t in run.shown().items() if p.suffix == suffix}
    assert files
    leaked = {str(p.relative_to(run.out)): leaks(t) for p, t in files.items()}
    assert {k: v for k, v in leaked.items() if v} == {}


def test_each_e_mail_shows_the_cells_masked(run):
    assert run.messages
    assert len(run.mails) == len(run.messages)
    assert {i: leaks(text) for i, text in enumerate(run.mails) if leaks(text)} == {}


@pytest.mark.parametrize("plant", PLANTS, ids=lambda p: f"{p.tab}-{p.column}-{p.names[0]}")
def test_each_planted_column_is_masked_everywhere(run, plant):
    everything = "\n".join([*run.shown().values(), *run.mails])
    assert leaks(everything, plant.names, plant.phones) == set()


def test_the_masked_cells_are_still_shown_as_initials(run):
    weekly = run.out / AS_OF / "weekly_briefing"
    accountability = (weekly / "accountability.csv").read_text(encoding="utf-8-sig")
    assert "Bà N.T.H. ([số điện thoại]) phản ánh rác thải ở ngõ 5" in accountability
    tasks = (weekly / "tasks.csv").read_text(encoding="utf-8-sig")
    assert "Giải quyết đơn của bà V.T.M., SĐT [số điện thoại]" in tasks
    # a head of a department named in DonVi is not a citizen
    assert f"Đồng chí {HEAD} chủ trì họp với N.T.H." in tasks


def test_the_duplicated_id_is_quoted_as_typed(run):
    issues = (run.out / AS_OF / "weekly_briefing" / "data_issues.csv").read_text(
        encoding="utf-8-sig")
    assert "Mã phản ánh PA-2026-000001 trùng với dòng 2" in issues
    assert "PA-[số điện thoại]" not in issues


def test_the_data_quality_list_quotes_cells_with_phones_masked(run):
    texts = "\n".join(t for p, t in run.files.items() if run.data_quality(p))
    assert texts
    assert leaks(texts, names=()) == set()


def test_files_for_staff_are_in_their_language(run):
    """tasks.csv in words, each column once; theo-doi.xlsx with its dates as date cells."""
    tasks = (run.out / AS_OF / "weekly_briefing" / "tasks.csv").read_text(encoding="utf-8-sig")
    header = tasks.splitlines()[0].split(",")
    assert len(set(header)) == len(header)
    assert "Quá hạn chưa hoàn thành" in tasks and "overdue" not in tasks
    book = openpyxl.load_workbook(run.out / AS_OF / "theo-doi.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    dates = [c for c in cells if c.is_date]
    assert len(dates) >= 6 and {c.number_format for c in dates} == {"DD/MM/YYYY"}
    assert not [c.value for c in cells if isinstance(c.value, str)
                and re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", c.value)]
