"""How much work a backtracking regex engine does on a text, counted, not timed.

`finditer_steps(pattern, text)` runs `pattern` over `text` the way `re.finditer` (and
`re.sub`) does: a match tried at each position, from the end of the last match on. It
runs it on a backtracking matcher of its own, made from the pattern's parse tree
(`re._parser`, the tree Python's `re` compiles), that takes the same paths as `re`'s
engine without its shortcuts, and counts a step for every node tried at a position. A
pattern that can match a run of characters in many ways (nested or overlapping
repetitions) takes steps that grow faster than the text: a ReDoS, found without a clock.

Supported: what the suite's patterns use (literals, classes, categories, alternation,
groups and back references, greedy and lazy repetition, lookahead, fixed-width
lookbehind, anchors, IGNORECASE); anything else raises NotImplementedError.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]


class TooManySteps(Exception):
    """The matcher went past the budget of steps it was given."""


_CATEGORIES: dict[object, Callable[[str], bool]] = {
    C.CATEGORY_DIGIT: str.isdecimal,
    C.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    C.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    C.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def _word(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and (text[pos].isalnum() or text[pos] == "_")


class _Matcher:
    def __init__(self, pattern: re.Pattern[str], text: str, budget: int) -> None:
        self.tree = P.parse(pattern.pattern, pattern.flags)
        self.fold = bool(pattern.flags & re.IGNORECASE)
        self.dotall = bool(pattern.flags & re.DOTALL)
        self.text = text
        self.budget = budget
        self.steps = 0
        self.groups: dict[int, tuple[int, int]] = {}

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise TooManySteps(self.steps)

    def same(self, a: str, b: str) -> bool:
        return a == b or (self.fold and a.lower() == b.lower())

    def in_set(self, items: list, char: str) -> bool:
        negate, found = False, False
        chars = (char, char.lower(), char.upper()) if self.fold else (char,)
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                found |= chr(av) in chars
            elif op is C.RANGE:
                found |= any(av[0] <= ord(c) <= av[1] for c in chars)
            elif op is C.CATEGORY:
                found |= _CATEGORIES[av](char)
            else:
                raise NotImplementedError(op)
        return found != negate

    def seq(self, items: list, j: int, pos: int, k: Callable[[int], bool]) -> bool:
        if j == len(items):
            return k(pos)
        return self.node(items[j], pos, lambda p: self.seq(items, j + 1, p, k))

    def node(self, item: tuple, pos: int, k: Callable[[int], bool]) -> bool:
        self.step()
        op, av = item
        text = self.text
        char = text[pos] if pos < len(text) else None
        if op is C.LITERAL:
            return char is not None and self.same(char, chr(av)) and k(pos + 1)
        if op is C.NOT_LITERAL:
            return char is not None and not self.same(char, chr(av)) and k(pos + 1)
        if op is C.ANY:
            return char is not None and (self.dotall or char != "\n") and k(pos + 1)
        if op is C.IN:
            return char is not None and self.in_set(av, char) and k(pos + 1)
        if op is C.BRANCH:
            return any(self.seq(list(alt), 0, pos, k) for alt in av[1])
        if op is C.SUBPATTERN:
            group, _add, _del, sub = av
            if group is None:
                return self.seq(list(sub), 0, pos, k)
            before = self.groups.get(group)

            def close(end: int) -> bool:
                self.groups[group] = (pos, end)
                if k(end):
                    return True
                if before is None:
                    self.groups.pop(group, None)
                else:
                    self.groups[group] = before
                return False

            return self.seq(list(sub), 0, pos, close)
        if op is C.GROUPREF:
            start, end = self.groups.get(av, (0, -1))
            if end < start:
                return False
            quoted = text[start:end]
            return text.startswith(quoted, pos) and k(pos + len(quoted))
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, sub = av
            return self.repeat(list(sub), low, high, op is C.MAX_REPEAT, 0, pos, k)
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, sub = av
            start = pos
            if direction < 0:
                width = sub.getwidth()[0]
                start = pos - width
            found = start >= 0 and self.seq(
                list(sub), 0, start, (lambda p: p == pos) if direction < 0 else (lambda p: True))
            return (found == (op is C.ASSERT)) and k(pos)
        if op is C.AT:
            return self.at(av, pos) and k(pos)
        raise NotImplementedError(op)

    def repeat(self, sub: list, low: int, high: int, greedy: bool, count: int, pos: int,
               k: Callable[[int], bool]) -> bool:
        def more() -> bool:
            if count >= high:
                return False
            # an iteration that matched nothing ends the repetition (as in re)
            return self.seq(sub, 0, pos, lambda p: (p != pos or count < low) and self.repeat(
                sub, low, high, greedy, count + 1, p, k))

        self.step()
        if count < low:
            return more()
        if greedy:
            return more() or k(pos)
        return k(pos) or more()

    def at(self, code: object, pos: int) -> bool:
        text, n = self.text, len(self.text)
        if code in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
            return pos == 0
        if code is C.AT_END:
            return pos == n or (pos == n - 1 and text[-1] == "\n")
        if code is C.AT_END_STRING:
            return pos == n
        if code is C.AT_BOUNDARY:
            return _word(text, pos - 1) != _word(text, pos)
        if code is C.AT_NON_BOUNDARY:
            return _word(text, pos - 1) == _word(text, pos)
        raise NotImplementedError(code)

    def match_at(self, pos: int) -> int | None:
        self.groups = {}
        ends: list[int] = []
        found = self.seq(list(self.tree), 0, pos, lambda p: ends.append(p) is None)
        return ends[-1] if found else None


def finditer_steps(pattern: re.Pattern[str], text: str, budget: int = 10**7
                   ) -> tuple[int, list[tuple[int, int]]]:
    """(steps, spans of the matches) of `pattern.finditer(text)` on a plain backtracking
    matcher; TooManySteps past `budget`."""
    matcher = _Matcher(pattern, text, budget)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 40 * len(text) + 10_000))
    try:
        pos, spans = 0, []
        while pos <= len(text):
            end = matcher.match_at(pos)
            if end is None:
                pos += 1
                continue
            spans.append((pos, end))
            pos = end if end > pos else pos + 1
        return matcher.steps, spans
    finally:
        sys.setrecursionlimit(limit)
