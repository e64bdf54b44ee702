"""The city briefing as a document model (`wardbrief.document.model`, Nghị định
30/2020/NĐ-CP), shaped once from city.json: named sections (header, summary, ranking,
intake, quality, next, signature) that its pages (the notebook shows each by name) and
its Word file (`document.word`, in the notebook's order) render alike. Page 1 is what the city's leadership reads first: the city's rates against
the target and the period before, the best and the worst wards, every ward not briefed
and why. Then every ward ranked in one table, the share of cases through the app and
1022 by ward, data quality by ward. Figures only: no case, no citizen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wardbrief.briefings import fmt
from wardbrief.briefings import labels as report_labels
from wardbrief.city import labels
from wardbrief.city.settings import CitySettings
from wardbrief.document.model import (
    Document,
    Heading,
    Letterhead,
    Paragraph,
    Section,
    Signature,
    Table,
)

Block = Any  # a block of the model
PARTS = ("summary", "ranking", "intake", "quality", "next")
SECTIONS = ("header", *PARTS, "signature")  # the document's sections in reading order


def settings_of(city: Mapping[str, Any]) -> CitySettings:
    given = city.get("city") or {}
    defaults = CitySettings()
    return CitySettings(**{k: given.get(k, v) for k, v in defaults.__dict__.items()})


def digital_share(intake: Mapping[str, Any] | None) -> float | None:
    """The share of the cases received that came through the app or 1022."""
    if not intake:
        return None
    received = sum(int(intake.get(k, 0)) for k in
                   ("smart_app", "system_1022", "in_person", "other", "unknown"))
    if not received:
        return None
    return (int(intake.get("smart_app", 0)) + int(intake.get("system_1022", 0))) / received


def _names(wards: Sequence[Mapping[str, Any]], *, in_text: bool = False) -> str:
    """`Xã A, Xã B và Phường C`; `in_text` after a body (`UBND xã A, xã B và phường C`)
    the kind of unit in lower case, as running text writes it."""
    names = [_in_text(str(w["name"])) if in_text else str(w["name"]) for w in wards]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


UNIT_KINDS = ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def _in_text(name: str) -> str:
    for kind in UNIT_KINDS:
        if name.startswith(kind):
            return kind.lower() + name[len(kind):]
    return name


def _ranked(city: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The wards with a compliance rate (the ones that can be called best or worst)."""
    return [w for w in city.get("wards") or [] if w["cases"].get("compliance_rate") is not None]


def best_and_worst(city: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """The wards of the first rank and those of the last rank among the wards with a rate
    (several when tied); the worst is empty when every ward shares one rank."""
    rated = _ranked(city)
    if not rated:
        return [], []
    first, last = rated[0]["rank"], rated[-1]["rank"]
    best = [w for w in rated if w["rank"] == first]
    worst = [w for w in rated if w["rank"] == last] if last != first else []
    return best, worst


def _rank_sentence(template: str, wards: Sequence[Mapping[str, Any]]) -> str:
    cases = wards[0]["cases"]
    return template.format(names=_names(wards), rate=fmt.percent_vn(cases["compliance_rate"]),
                           overdue=fmt.int_vn(cases["open_overdue"]))


def summary_blocks(city: Mapping[str, Any]) -> list[Block]:
    settings = settings_of(city)
    totals = city["totals"]
    cases = totals["cases"]
    count = totals["wards_briefed"] + totals["wards_not_briefed"]
    blocks = [Heading(labels.SECTIONS["summary"])]
    if not totals["wards_briefed"]:
        blocks.append(Paragraph(labels.NO_WARD_BRIEFED))
    else:
        blocks.append(Paragraph(labels.BRIEFED.format(
            briefed=totals["wards_briefed"], total=count, received=fmt.int_vn(cases["received"]),
            resolved=fmt.int_vn(cases["resolved"]), on_time=fmt.int_vn(cases["resolved_on_time"]),
            late=fmt.int_vn(cases["resolved_late"]), open=fmt.int_vn(cases["open"]),
            overdue=fmt.int_vn(cases["open_overdue"]))))
        blocks += key_figure_blocks(city, settings)
        best, worst = best_and_worst(city)
        if best and not worst and len(best) > 1:
            blocks.append(Paragraph(labels.ALL_SAME.format(names=_names(best))))
        elif best:
            blocks.append(Paragraph(_rank_sentence(labels.BEST, best)))
        if worst:
            blocks.append(Paragraph(_rank_sentence(labels.WORST, worst)))
    missing = city.get("not_briefed") or []
    if missing:
        blocks.append(Paragraph(labels.NOT_BRIEFED_HEAD.format(count=len(missing))))
        blocks += [Paragraph(labels.NOT_BRIEFED_ITEM.format(
            name=w["name"], code=w["code"], reason=_reason(w["reason"])), "item") for w in missing]
    else:
        blocks.append(Paragraph(labels.ALL_BRIEFED))
    return blocks


def _reason(text: str) -> str:
    return " ".join(str(text).split()).rstrip(".")


def key_figure_blocks(city: Mapping[str, Any], settings: CitySettings) -> list[Block]:
    cases = city["totals"]["cases"]
    before = city.get("previous_period") or {}
    previous = before.get("cases") or {}
    rows = []
    for name, key in ((labels.ON_TIME_RATE, "on_time_rate"),
                      (labels.COMPLIANCE_RATE, "compliance_rate")):
        rows.append((name, fmt.percent_vn(cases[key]), fmt.percent_vn(settings.on_time_target),
                     fmt.percent_vn(previous.get(key)),
                     fmt.change_words(cases[key], previous.get(key), rate=True)))
    now, then = digital_share(city["totals"]["intake"]), digital_share(before.get("intake"))
    rows.append((labels.DIGITAL_SHARE, fmt.percent_vn(now), fmt.DASH, fmt.percent_vn(then),
                 fmt.change_words(now, then, rate=True)))
    table = Table(header=labels.KEY_HEADER, rows=tuple(rows),
                  numeric=(False, True, True, True, False), widths=(4.6, 1.4, 1.4, 1.4, 2.6))
    note = labels.KEY_NOTE.format(start=fmt.date_vn(_previous_start(city)),
                                  end=fmt.date_vn(_previous_end(city)))
    return [Paragraph(labels.KEY_CAPTION, "caption"), table, Paragraph(note, "note")]


def _previous_end(city: Mapping[str, Any]) -> str | None:
    return next((w["previous"].get("as_of") for w in city.get("wards") or []
                 if w.get("previous") and w["previous"].get("as_of")), None)


def _previous_start(city: Mapping[str, Any]) -> str | None:
    return next((w["previous"].get("period_start") for w in city.get("wards") or []
                 if w.get("previous") and w["previous"].get("period_start")), None)


def _avg(value: Any) -> str:
    return fmt.number_vn(value) if value is not None else fmt.DASH


def ranking_blocks(city: Mapping[str, Any]) -> list[Block]:
    rows = tuple(
        (str(w["rank"]), str(w["name"]), fmt.int_vn(w["cases"]["received"]),
         fmt.int_vn(w["cases"]["resolved"]), fmt.int_vn(w["cases"]["resolved_on_time"]),
         fmt.int_vn(w["cases"]["open_overdue"]), fmt.percent_vn(w["cases"]["on_time_rate"]),
         fmt.percent_vn(w["cases"]["compliance_rate"]), _avg(w["cases"]["avg_working_days"]))
        for w in city.get("wards") or [])
    t = city["totals"]["cases"]
    foot = ("", labels.TOTAL, fmt.int_vn(t["received"]), fmt.int_vn(t["resolved"]),
            fmt.int_vn(t["resolved_on_time"]), fmt.int_vn(t["open_overdue"]),
            fmt.percent_vn(t["on_time_rate"]), fmt.percent_vn(t["compliance_rate"]),
            _avg(t["avg_working_days"]))
    table = Table(header=labels.RANKING_HEADER, rows=rows,
                  numeric=(True, False) + (True,) * 7,
                  widths=(1.2, 3.2, 1.2, 1.2, 1.2, 1.3, 1.3, 1.4, 1.4), foot=foot)
    # heading, caption and table stay together (on the page and in Word); how to read the
    # table under it
    return [Heading(labels.SECTIONS["ranking"]), Paragraph(labels.RANKING_CAPTION, "caption"), table,
            Paragraph(labels.RANKING_INTRO, "note")]


def _intake_row(name: str, intake: Mapping[str, Any]) -> tuple[str, ...]:
    received = sum(int(intake[k]) for k in
                   ("smart_app", "system_1022", "in_person", "other", "unknown"))
    return (name, fmt.int_vn(received), fmt.int_vn(intake["smart_app"]),
            fmt.int_vn(intake["system_1022"]), fmt.int_vn(intake["in_person"]),
            fmt.int_vn(int(intake["other"]) + int(intake["unknown"])),
            fmt.percent_vn(digital_share(intake)))


def intake_blocks(city: Mapping[str, Any]) -> list[Block]:
    wards = sorted(city.get("wards") or [], key=lambda w: (
        digital_share(w["intake"]) is None, -(digital_share(w["intake"]) or 0.0), w["code"]))
    rows = tuple(_intake_row(str(w["name"]), w["intake"]) for w in wards)
    table = Table(header=labels.INTAKE_HEADER, rows=rows, numeric=(False,) + (True,) * 6,
                  widths=(3.4, 1.3, 1.5, 1.4, 1.3, 1.4, 1.6),
                  foot=_intake_row(labels.TOTAL, city["totals"]["intake"]))
    # heading, caption and table stay together (on the page and in Word); how to read the
    # table under it
    return [Heading(labels.SECTIONS["intake"]), Paragraph(labels.INTAKE_CAPTION, "caption"), table,
            Paragraph(labels.INTAKE_INTRO, "note")]


def quality_blocks(city: Mapping[str, Any]) -> list[Block]:
    rows = [(str(w["name"]), fmt.int_vn(w["data_errors"]), fmt.int_vn(w["data_warnings"]), "")
            for w in sorted(city.get("wards") or [],
                            key=lambda w: (-w["data_errors"], -w["data_warnings"], w["code"]))]
    rows += [(str(w["name"]), fmt.DASH, fmt.DASH,
              labels.QUALITY_NOT_BRIEFED.format(reason=_reason(w["reason"])))
             for w in city.get("not_briefed") or []]
    table = Table(header=labels.QUALITY_HEADER, rows=tuple(rows),
                  numeric=(False, True, True, False), widths=(3.4, 1.0, 1.2, 6.0))
    # heading, caption and table stay together (on the page and in Word); how to read the
    # table under it
    return [Heading(labels.SECTIONS["quality"]), Paragraph(labels.QUALITY_CAPTION, "caption"), table,
            Paragraph(labels.QUALITY_INTRO, "note")]


def next_blocks(city: Mapping[str, Any]) -> list[Block]:
    settings = settings_of(city)
    below = [w for w in city.get("wards") or []
             if w["cases"].get("compliance_rate") is not None
             and w["cases"]["compliance_rate"] < settings.on_time_target]
    items = []
    if below:
        items.append(labels.NEXT_BELOW_TARGET.format(
            names=_names(below, in_text=True), target=fmt.percent_vn(settings.on_time_target)))
    missing = city.get("not_briefed") or []
    if missing:
        items.append(labels.NEXT_NOT_BRIEFED.format(names=_names(missing, in_text=True)))
    if any(w["data_errors"] for w in city.get("wards") or []):
        items.append(labels.NEXT_QUALITY)
    return [Heading(labels.SECTIONS["next"])] + [
        Paragraph(text) for text in items or [labels.NEXT_NONE]]


def city_document(city: Mapping[str, Any]) -> Document:
    settings = settings_of(city)
    symbol = settings.doc_symbol if settings.doc_symbol.startswith("/") \
        else "/" + settings.doc_symbol
    title = settings.signer_title.strip().upper() or labels.CHAIRMAN
    role = (labels.SIGN_FOR_CHAIRMAN if title.startswith("PHÓ ") else labels.SIGN_FOR_COMMITTEE,
            title)
    subject = labels.SUBJECT.format(start=fmt.date_vn(city.get("period_start")),
                                    end=fmt.date_vn(city.get("as_of")))
    head = Letterhead(issuer=settings.issuer_lines(),
                      number=f"{report_labels.DOC_NUMBER}{' ' * 8}{symbol}",
                      nation=report_labels.NATION, motto=report_labels.MOTTO,
                      date_line=fmt.date_line(settings.place, city.get("as_of")),
                      title=labels.KIND, subject=(subject,))
    parts = {"summary": summary_blocks, "ranking": ranking_blocks, "intake": intake_blocks,
             "quality": quality_blocks, "next": next_blocks}
    return Document(
        report="city_briefing", title=f"{labels.KIND} — {subject}",
        sections=(Section("header", (head,)),
                  *(Section(name, tuple(parts[name](city))) for name in PARTS),
                  Section("signature", (Signature(
                      labels.RECIPIENTS_TITLE, tuple(labels.RECIPIENTS), role,
                      settings.signer_name.strip() or None,
                      report_labels.SIGNATURE_NAME_PLACEHOLDER),))))


def load_city_document(city_path: str = "city.json") -> Document:
    """The city briefing's document from the city.json at `city_path` (the notebook's
    one call: it shows `doc[name]` for each of `SECTIONS`)."""
    import json
    from pathlib import Path

    return city_document(json.loads(Path(city_path).read_text(encoding="utf-8")))
