"""`wardbrief metrics`: metrics.json for an as-of date (stdout, or a file with -o).

A workbook that cannot give true figures (Workbook.blocking_issues) still gets its
metrics.json, marked `"briefable": false` with `blocking_issues`; the command then says
why on stderr and exits 1.

With `--jobs` above 1 (the default on a machine of several cores), a workbook of
MASK_ELSEWHERE_CASES cases or more has the citizens' cells of its case lists masked in a
worker process (wardbrief.processes) while the other figures are made here
(`MaskedElsewhere`): the same cells as masked here. The worker first makes a CSV
folder's fingerprint (the sha256 of its files), which is made when first asked for."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wardbrief.commands.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    EXIT_SOURCE,
    add_period_arguments,
    add_source_arguments,
    open_workbook,
    period_error,
    refusal,
    warn_before_first_case,
)
from wardbrief.read.file_prints import folder_fingerprint
from wardbrief.read.privacy import NameMatcher, PersonalData, mask_asks

if TYPE_CHECKING:
    from collections.abc import Callable

    from wardbrief.processes import Tasks
    from wardbrief.read.contract import Workbook

# Below this many cases, masking the case lists here takes less than starting a worker.
MASK_ELSEWHERE_CASES = 200_000


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("metrics", help="compute metrics.json (the figures of a briefing)")
    add_source_arguments(parser)
    add_period_arguments(parser)
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="write metrics.json here, with its CSV twins beside it "
                             "(default: print to stdout)")
    from wardbrief.processes import jobs_argument

    parser.add_argument("--jobs", type=jobs_argument, default=None, metavar="N",
                        help="processes at once (default: WARDBRIEF_JOBS, else the usable CPU "
                             "cores; 1: all in this process)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wardbrief.figures.metrics_files import metrics_json, write_metrics
    from wardbrief.processes import SettingError, jobs_setting
    from wardbrief.read.sources import SourceError

    try:
        args.jobs = jobs_setting(args.jobs)
    except SettingError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_SOURCE
    workbook = open_workbook(args)
    if workbook is None:
        return EXIT_SOURCE
    if period_error(args):
        return EXIT_SOURCE
    try:
        metrics = figures(workbook, args)
    except SourceError as exc:  # a file of the folder saved again meanwhile
        print(str(exc), file=sys.stderr)
        return EXIT_SOURCE
    refused = refusal(workbook)  # metrics.json is still written, marked "briefable": false
    code = EXIT_DATA_ERRORS if refused else EXIT_OK
    if refused:
        print(refused, file=sys.stderr)
    if args.output is None:
        sys.stdout.write(metrics_json(metrics))
        return code
    written = write_metrics(metrics, args.output.parent)
    if args.output.name != "metrics.json":
        written[0].replace(args.output)
        written[0] = args.output
    for path in written:
        print(path, file=sys.stderr)
    return code


def figures(workbook: Workbook, args: argparse.Namespace) -> dict[str, Any]:
    """The command's figures of a workbook it has opened (`open_workbook`): what
    bench/bench.py measures as the command's own path."""
    from wardbrief import processes
    from wardbrief.commands.metrics_tasks import FINGERPRINT, work
    from wardbrief.figures.metrics import compute_metrics
    from wardbrief.run.registry import FIGURES_TIMEOUT_S, time_limit

    warn_before_first_case(workbook, args.as_of)
    elsewhere = (processes.jobs_setting(args.jobs) > 1
                 and len(workbook.cases) >= MASK_ELSEWHERE_CASES)
    raw = workbook.raw
    with (processes.Tasks(work, 1 if elsewhere else 0) as tasks,
          time_limit(FIGURES_TIMEOUT_S, "the figures")):
        people = None
        if elsewhere:
            if raw.files and not raw.fingerprint_made():
                made = tasks.submit((FINGERPRINT, raw.files), processes.THERE)
                raw.fingerprint_maker = lambda: _taken(tasks, made) or folder_fingerprint(
                    raw.files)
            people = MaskedElsewhere(workbook.name_matcher, tasks)
        try:
            return compute_metrics(workbook, args.as_of, args.period_start, people=people,
                                   report_inputs=False)  # figures to read, not to send
        finally:
            raw.fingerprint_maker = None


def _taken(tasks: Tasks, index: int) -> Any:
    """What the task `index` gave, None if it failed."""
    result = tasks.finish()[index]
    return None if result.error else result.value


class MaskedElsewhere(PersonalData):
    """A workbook's PersonalData whose cells_later go at once to the worker of `tasks`
    (privacy.mask_task), but for a last share of HERE_SHARE of the cells, which this
    process masks when it asks for them if the worker has not taken it by then; a part
    a failed worker held is masked here."""

    HERE_SHARE = 0.15  # about what this process would otherwise wait for the worker

    def __init__(self, names: NameMatcher, tasks: Tasks) -> None:
        super().__init__(names)
        self.tasks = tasks

    def cells_later(self, tab: str, asks: list) -> Callable[[], list[list[object]]]:
        from wardbrief.commands.metrics_tasks import MASK
        from wardbrief.processes import ANYWHERE, THERE

        sizes = [len(values) for _, values, _ in asks]
        cut = len(asks)
        while cut > 1 and sum(sizes[cut - 1:]) <= self.HERE_SHARE * sum(sizes):
            cut -= 1
        parts = [part for part in (asks[:cut], asks[cut:]) if part]
        indexes = [self.tasks.submit((MASK, (self.names, tab, part)),
                                     THERE if n == 0 else ANYWHERE)
                   for n, part in enumerate(parts)]

        def taken() -> list[list[object]]:
            results = self.tasks.finish()
            cells: list[list[object]] = []
            for index, part in zip(indexes, parts, strict=True):
                result = results[index]
                cells += mask_asks(self, tab, part) if result.error else result.value
            return cells

        return taken
