"""wardbrief.briefings.charts: the SVG a briefing embeds — labels as composed text (or
outlines when a label keeps a combining accent), and lean for WeasyPrint."""

from __future__ import annotations

import re
import unicodedata

from wardbrief.briefings import charts, labels

KTHTDT = "Phòng Kinh tế, Hạ tầng và Đô thị"
DECOMPOSED = unicodedata.normalize("NFD", KTHTDT)  # as a keyboard typing combining accents
UNCOMPOSABLE = "Tổ x\u0301"  # x with an acute accent: no letter of its own


def compliance(names: list[str], rates: list[float], ranked: list[bool]) -> str:
    return charts.compliance_svg(names, rates, ranked, 0.95).decode("utf-8")


def test_labels_are_composed_text_in_the_serif_font():
    assert DECOMPOSED != KTHTDT
    svg = compliance([DECOMPOSED, "Công an phường"], [0.5, 0.97], [True, True])
    texts = re.findall(r"<text ([^>]*)>([^<]*)</text>", svg)
    shown = [text for _, text in texts]
    assert KTHTDT in shown and "Công an phường" in shown and DECOMPOSED not in shown
    assert "50,0%" in shown and "97,0%" in shown  # the bar labels
    assert labels.CHART_BELOW in shown and labels.CHART_RANKED in shown
    assert all("DejaVu Serif" in attributes for attributes, _ in texts)
    assert not any(unicodedata.combining(char) for char in "".join(shown))
    assert "DejaVuSerif-" not in svg  # no glyph outlines


def test_a_label_keeping_a_combining_accent_is_drawn_as_outlines():
    svg = compliance([UNCOMPOSABLE, KTHTDT], [0.5, 0.97], [True, True])
    assert "<text" not in svg and UNCOMPOSABLE not in svg
    glyphs = set(re.findall(r'<path id="(DejaVuSerif-[0-9a-f]+)"', svg))
    used = set(re.findall(r'xlink:href="#(DejaVuSerif-[0-9a-f]+)"', svg))
    assert len(glyphs) > 20 and used == glyphs  # each glyph defined once, placed by <use>


def test_svg_is_lean_for_weasyprint():
    # hatched (below target): A, B, D; C reaches the target; E too small to rank
    svg = compliance(["A", "B", "C", "D", "E"], [0.5, 0.6, 0.97, 0.7, 0.2],
                     [True, True, True, True, False])
    assert svg.startswith("<?xml") and "<metadata" not in svg and "<style" not in svg
    assert " style=" not in svg and not re.search(r'<g(?: id="[^"]*")?>', svg)  # no bare groups
    hatched = re.findall(r'<path d="([^"]*)"[^>]*fill="url\(#', svg)
    # A and B one path (consecutive), D its own (C between), the legend's patch
    assert [d.count("M ") for d in hatched] == [2, 1, 1]
    ids = re.findall(r' id="([^"]+)"', svg)
    referred = set(re.findall(r'(?:xlink:href="#|url\(#)([^")]+)', svg))
    assert len(ids) == len(set(ids)) and set(ids) == referred  # only ids something uses
    assert 'stroke-linejoin="round"' in svg.split(">", 2)[1]  # matplotlib's sheet, on <svg>


def test_the_same_chart_gives_the_same_bytes():
    args = (["2026-09-05", "2026-09-12"], [3, 4], [2, 3], [1, 2], [5, 6])
    assert charts.weekly_trend_svg(*args) == charts.weekly_trend_svg(*args)
