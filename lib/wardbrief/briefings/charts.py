"""Vector charts (SVG) for the briefings (matplotlib Figure on its SVG canvas: no pyplot,
no global backend switch, safe inside a kernel).

Each function takes plain sequences already taken from metrics (briefing.py picks
them) and returns SVG bytes sized for the text width of an A4 page, drawn in the
document's serif family (DejaVu Serif, the page's fallback serif: matplotlib's
Liberation Serif path drawing loses Vietnamese glyphs), each with a legend.
Labels are SVG text, which WeasyPrint prints with the font's own glyphs (text a
reader can search and copy); a chart whose labels would need a combining accent is
drawn with its glyphs as outlines instead (see `_svg`). The SVG is then made lean
for WeasyPrint, which draws SVG in Python node by node (see `_lean`).
Colours are few and also told apart by pattern or line style, so a black-and-white
print still reads. Labels come from `labels`; numbers are written by `fmt`.
"""

from __future__ import annotations

import io
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from wardbrief.briefings import fmt, labels

WIDTH_IN = 6.3  # 160 mm: the text width of A4 with the NĐ 30 margins


def _font() -> str:
    return "DejaVu Serif"  # shipped with matplotlib; every Vietnamese glyph


def _style() -> dict[str, object]:
    return {
        "font.family": _font(),
        "font.size": 9,
        "axes.labelsize": 9,
        "legend.fontsize": 8.5,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        # labels as <text>: WeasyPrint prints them with the serif font's glyphs, one
        # character at a time (composed letters keep their stacked diacritics; `_svg`
        # falls back to outlines for a combining accent)
        "svg.fonttype": "none",
        "svg.hashsalt": "wardbrief",  # the same chart gives the same bytes
        "hatch.linewidth": 0.6,
        # hatches of lines only: a dotted hatch is a path of hundreds of circles per
        # tile, which WeasyPrint draws again for every bar
    }


COLORS = {
    "received": "#c6d4e1",
    "resolved": "#1f4e79",
    "resolved_on_time": "#2e7d32",
    "open_backlog": "#b3400a",
    "ranked": "#1f4e79",
    "below": "#b3400a",
    "unranked": "#bdbdbd",
    "target": "#333333",
    "digital": "#1f4e79",
    "other": "#c6d4e1",
}


def _composed(texts: Iterable[str]) -> list[str]:
    """`texts` in composed form (NFC): a letter typed as a base and combining accents
    becomes the one Vietnamese letter it is."""
    return [unicodedata.normalize("NFC", text) for text in texts]


def _save(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.04,
                metadata={"Date": None})
    return buffer.getvalue()


def _svg(fig: Figure) -> bytes:
    """The figure as lean SVG. WeasyPrint lays SVG text out one character at a time, so
    a combining accent left in a label (one NFC cannot compose) would print on its own
    beside a dotted circle: such a chart is drawn again with its glyphs as outlines."""
    FigureCanvasSVG(fig)
    svg = _save(fig)
    if any(unicodedata.combining(char) for char in svg.decode("utf-8")):
        with rc_context({"svg.fonttype": "path"}):
            svg = _save(fig)
    return _lean(svg)


_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"


def _lean(svg: bytes) -> bytes:
    """The same drawing in fewer, plainer nodes, for WeasyPrint (which parses the CSS of
    every node and draws a pattern again for every hatched shape): no metadata; the
    style sheet of matplotlib (one `*` rule) and each `style` as presentation
    attributes; groups that only carry an id opened; ids nothing refers to dropped;
    consecutive hatched shapes of the same look one path."""
    root = ET.fromstring(svg)
    for metadata in root.findall(f"{{{_SVG}}}metadata"):
        root.remove(metadata)
    # names written as in the file (no namespace registry, which is global to Python)
    for node in root.iter():
        node.tag = node.tag.rpartition("}")[2]
        if (href := node.attrib.pop(f"{{{_XLINK}}}href", None)) is not None:
            node.set("xlink:href", href)
    root.attrib.update({"xmlns": _SVG, "xmlns:xlink": _XLINK})
    for defs in root.findall("defs"):
        for sheet in defs.findall("style"):
            rule = (sheet.text or "").strip()
            if rule.startswith("*{") and rule.endswith("}") and "{" not in rule[2:]:
                defs.remove(sheet)
                root.attrib.update(_declarations(rule[2:-1]))
        if len(defs) == 0:
            root.remove(defs)
    for node in root.iter():
        if "style" in node.attrib:
            node.attrib.update(_declarations(node.attrib.pop("style")))
    _open_groups(root)
    referred = {value[1:] for node in root.iter() if (value := node.get("xlink:href"))}
    referred |= {value[5:-1] for node in root.iter() for value in node.attrib.values()
                 if value.startswith("url(#")}
    for node in root.iter():
        if node.get("id") not in referred:
            node.attrib.pop("id", None)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _declarations(css: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def _open_groups(parent: ET.Element) -> None:
    opened: list[ET.Element] = []
    for child in parent:
        _open_groups(child)
        bare = child.tag == "g" and set(child.attrib) <= {"id"}
        opened.extend(child if bare else [child])
    children: list[ET.Element] = []
    for child in opened:
        last = children[-1] if children else None
        if last is not None and _hatched_path(child) and _hatched_path(last) and (
                _look(child) == _look(last)):
            last.set("d", f"{last.get('d')} {child.get('d')}")
        else:
            children.append(child)
    parent[:] = children


def _hatched_path(node: ET.Element) -> bool:
    return node.tag == "path" and len(node) == 0 and (
        node.get("fill", "").startswith("url(#"))


def _look(node: ET.Element) -> dict[str, str]:
    return {name: value for name, value in node.attrib.items() if name not in ("d", "id")}


def _percent_axis(value: float, _pos: int) -> str:
    return fmt.percent_vn(value, digits=0)


def _week_labels(week_starts: Sequence[str]) -> list[str]:
    return [fmt.date_vn(start)[:5] for start in week_starts]


def weekly_trend_svg(
    week_starts: Sequence[str],
    received: Sequence[int],
    resolved: Sequence[int],
    resolved_on_time: Sequence[int],
    open_backlog: Sequence[int],
) -> bytes:
    """Bars of received per week; lines of resolved, resolved on time and the open backlog."""
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, 1.6))
        ax = fig.add_subplot()
        x = list(range(len(week_starts)))
        ax.bar(x, received, color=COLORS["received"], edgecolor="#7f8fa0", linewidth=0.5,
               label=labels.FIGURES_SHORT["received"], width=0.6)
        ax.plot(x, resolved, color=COLORS["resolved"], marker="o", markersize=3,
                label=labels.FIGURES_SHORT["resolved"])
        ax.plot(x, resolved_on_time, color=COLORS["resolved_on_time"], marker="s",
                markersize=3, linestyle=":", label=labels.FIGURES_SHORT["resolved_on_time"])
        ax.plot(x, open_backlog, color=COLORS["open_backlog"], linestyle="--", marker="^",
                markersize=3, label=labels.FIGURES_SHORT["open_backlog"])
        ax.set_xticks(x, _week_labels(week_starts))
        ax.set_xlabel(labels.CHART_WEEK_AXIS)
        ax.set_ylabel(labels.CHART_COUNT_AXIS)
        # a few round steps: on a chart 1.6 in high, matplotlib's own choice packed ten
        # labels ("7.200", "6.400", …) edge to edge
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.int_vn(v)))
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=4, frameon=False)
        return _svg(fig)


def compliance_svg(
    names: Sequence[str],
    rates: Sequence[float | None],
    ranked: Sequence[bool],
    target: float | None,
    minimum: int = 5,
) -> bytes:
    """Horizontal bars of each department's compliance rate, best at the top; those
    below the target hatched, departments too small to rank in grey; the target as a
    dashed line; a legend saying which is which."""
    height = 0.9 + 0.22 * max(len(names), 1)
    names = _composed(names)
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, height))
        ax = fig.add_subplot()
        y = list(range(len(names)))[::-1]
        kinds = ["unranked" if not is_ranked
                 else "below" if target is not None and (rate or 0.0) < target else "ranked"
                 for rate, is_ranked in zip(rates, ranked, strict=True)]
        for pos, rate, kind in zip(y, rates, kinds, strict=True):
            ax.barh(pos, rate or 0.0, color=COLORS[kind], height=0.65,
                    hatch="////" if kind == "below" else None, edgecolor="white", linewidth=0)
            ax.text((rate or 0.0) + 0.01, pos, fmt.percent_vn(rate), va="center")
        ax.set_yticks(y, list(names))
        handles = [Patch(facecolor=COLORS[k], hatch="////" if k == "below" else None,
                         edgecolor="white", label=text) for k, text in (
            ("ranked", labels.CHART_RANKED), ("below", labels.CHART_BELOW),
            ("unranked", labels.CHART_UNRANKED.format(minimum=minimum))) if k in kinds]
        if target is not None:
            ax.axvline(target, color=COLORS["target"], linestyle="--", linewidth=1)
            handles.append(Line2D([], [], color=COLORS["target"], linestyle="--", linewidth=1,
                                  label=labels.CHART_TARGET.format(target=fmt.percent_vn(target))))
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(FuncFormatter(_percent_axis))
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.12),
                  ncol=len(handles), frameon=False)
        return _svg(fig)


def intake_svg(week_starts: Sequence[str], digital: Sequence[int],
               received: Sequence[int]) -> bytes:
    """Stacked bars per week: cases received through the app and 1022, through other
    channels."""
    other = [max(r - d, 0) for r, d in zip(received, digital, strict=True)]
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN * 0.4, 2.2))
        ax = fig.add_subplot()
        x = list(range(len(week_starts)))
        ax.bar(x, digital, color=COLORS["digital"], width=0.6, label=labels.CHART_INTAKE_DIGITAL)
        ax.bar(x, other, bottom=digital, color=COLORS["other"], width=0.6, hatch="---",
               edgecolor="#7f8fa0", linewidth=0.4, label=labels.CHART_INTAKE_OTHER)
        ax.set_xticks(x[::4], _week_labels(week_starts)[::4])
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.int_vn(v)))
        ax.set_ylabel(labels.CHART_COUNT_AXIS)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.12), ncol=1, frameon=False)
        return _svg(fig)


def warm_up() -> None:
    """Draw one small chart and throw it away: matplotlib's fonts and SVG writer are then
    loaded (the runner's kernel calls this while it waits for its first notebook)."""
    compliance_svg(["A"], [0.9], [True], 0.95)
