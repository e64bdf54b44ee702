"""The words the readers see (`templates/wardbrief/words/`, read by
wardbrief.briefings.labels): a glossary of the terms every report shares and one file per
report; each key in one file, each used by the code, the glossary's terms GLOSSARY.md's."""

from __future__ import annotations

import re

from builders import REPO
from wardbrief.briefings import labels

CODE = [p for p in (REPO / "lib" / "wardbrief").rglob("*.py") if p.name != "labels.py"]


def test_each_word_is_in_one_file_and_used_by_the_code():
    files = labels.read_words()
    assert set(files) == set(labels.WORD_FILES)
    seen: dict[str, str] = {}
    for name, words in files.items():
        for key in words:
            assert key not in seen, f"{key} in {name}.toml and {seen[key]}.toml"
            seen[key] = name
    code = "\n".join(p.read_text(encoding="utf-8") for p in CODE)
    used = set(re.findall(r"\blabels\.([A-Z][A-Z0-9_]*)", code)) | set(
        re.findall(r"\b([A-Z][A-Z0-9_]{3,})\b", (REPO / "lib/wardbrief/briefings/labels.py")
                   .read_text(encoding="utf-8")))
    unused = sorted(set(seen) - used)
    assert unused == [], f"words no code reads: {unused}"


def test_the_glossary_says_what_glossary_md_says():
    glossary = labels.read_words()["glossary"]
    assert glossary["FIGURES"]["received"] == "Số phản ánh, kiến nghị tiếp nhận trong kỳ"
    assert glossary["FIGURES"]["on_time_rate"] == "Tỷ lệ xử lý đúng hạn"
    assert glossary["FIGURES"]["compliance_rate"] == (
        "Tỷ lệ tuân thủ thời hạn (tính cả phản ánh quá hạn chưa trả lời)")
    assert glossary["REPORT_TITLES"]["department_reminders"] == "PHIẾU ĐÔN ĐỐC"
    assert labels.TASK_BUCKETS["blocked"] == "Vướng mắc, tạm dừng"
    assert labels.RECIPIENTS[0] == "- UBND thành phố (để b/c);"  # arrays read as tuples
    assert isinstance(labels.RECIPIENTS, tuple)
