"""Finding each expected text of a group (a table row, a fact card, a source entry) in the
region of the page text that belongs to it.

Why: a short text such as the tie "EEU" is printed in many places (a summary
bullet, another actor's row); finding it *somewhere* proves nothing. Each list
item of the source (an actor, an event, a source entry…) is printed as one
block, and blocks follow one another in reading order. So each group is first
placed by its rarest text (the occurrence around which most of its texts lie),
then its region runs from its first text to the start of the next group's
block, and every text of the group must lie inside that region. Within a group
the order of texts is not assumed: a key fact prints its value above its label.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.publish.verify.text import RTL

#: Room between a group's texts for what may come between them: the banners, running
#: header and repeated table header when a row continues on the next page.
SLACK = 400
#: Texts shorter than this are not looked for in parts across a page break: a row splits
#: between the lines of a cell, and a text this short is one line.
SPLIT_MIN = 16
#: Candidate placements tried per group (occurrences of its rarest text).
MAX_CANDIDATES = 64


@dataclass(frozen=True, slots=True)
class Expected:
    """One text that must be printed: an index into the caller's items, and its pieces.

    ``pieces`` is one squashed string for ordinary text; for text with right-to-left
    runs (whose order on the page is visual) it is its words, each to be found.
    """

    index: int
    pieces: tuple[str, ...]


class Claims:
    """Stretches of the text already given to a text: sorted, never overlapping."""

    def __init__(self, taken: Sequence[tuple[int, int]] = ()) -> None:
        self.spans = sorted(taken)

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.spans, (start, float("inf")))
        if i and self.spans[i - 1][1] > start:
            return False
        return i == len(self.spans) or self.spans[i][0] >= end

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))


class Occurrences:
    """Every position of a piece in the page text, computed once per distinct piece."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[str, list[int]] = {}

    def of(self, piece: str) -> list[int]:
        found = self._cache.get(piece)
        if found is None:
            found = []
            if piece:
                pos = self.text.find(piece)
                while pos != -1:
                    found.append(pos)
                    pos = self.text.find(piece, pos + 1)
            self._cache[piece] = found
        return found

    def within(self, piece: str, lo: int, hi: int) -> list[int]:
        """Positions of ``piece`` starting in ``[lo, hi)``, allowing a reversed RTL word."""
        positions = self.of(piece)
        if not positions and RTL.search(piece):
            positions = self.of(piece[::-1])
        a = bisect.bisect_left(positions, lo)
        b = bisect.bisect_left(positions, hi)
        return positions[a:b]


def _found(occ: Occurrences, exp: Expected, lo: int, hi: int) -> bool:
    """Every piece of ``exp`` lies wholly inside ``[lo, hi)``."""
    return all(occ.within(piece, lo, hi - len(piece) + 1) for piece in exp.pieces)


def _nearest(occ: Occurrences, exp: Expected, q: int, lo: int, hi: int) -> int | None:
    """The position of ``exp``'s first piece nearest to ``q`` within ``[lo, hi)``."""
    positions = occ.within(exp.pieces[0], lo, hi)
    if not positions:
        return None
    i = bisect.bisect_left(positions, q)
    near = [positions[j] for j in (i - 1, i) if 0 <= j < len(positions)]
    return min(near, key=lambda p: (abs(p - q), p))


def _cluster(
    occ: Occurrences, group: Sequence[Expected], rare: Expected, q: int, size: int
) -> list[tuple[int, int]]:
    """The stretches the group's texts take around ``q`` (where ``rare`` is): each text,
    longest first, at a nearby occurrence that overlaps no longer text's stretch; on the
    side of ``q`` the schema's order puts it when it can (a row's category after its
    detail, not the previous row's)."""
    spans: list[tuple[int, int]] = []
    claims = Claims()
    for exp in sorted(group, key=lambda e: -len(e.pieces[0])):
        piece = exp.pieces[0]
        free = [p for p in occ.within(piece, q - size, q + size) if claims.free(p, p + len(piece))]
        if exp.index > rare.index:
            free = [p for p in free if p >= q] or free
        elif exp.index < rare.index:
            free = [p for p in free if p < q] or free
        if free:
            p = min(free, key=lambda p: (abs(p - q), p))
            spans.append((p, p + len(piece)))
            claims.add(p, p + len(piece))
    return spans


def _place(
    occ: Occurrences,
    group: Sequence[Expected],
    starts: Sequence[int] = (),
    used: set[int] | None = None,
) -> tuple[int, list[tuple[int, int]]] | None:
    """Where the group's block is: an occurrence of its rarest text with most texts nearby.

    None when no more than half of its texts lie together anywhere: a lost block must not
    claim a stray match inside another block and cut that one short."""
    present = [e for e in group if occ.of(e.pieces[0])]
    if not present:  # a block wholly cut by page breaks: placed where its longest text starts
        longest = max(group, key=lambda e: len(e.pieces[0]))
        if len(longest.pieces[0]) < SPLIT_MIN:
            return None
        pos = _across_pages(occ.text, longest.pieces[0], 0, len(occ.text), starts, Claims())
        return None if pos is None else (pos, [])
    rare = min(present, key=lambda e: (len(occ.of(e.pieces[0])), -len(e.pieces[0])))
    size = sum(len(p) for e in group for p in e.pieces) + SLACK
    best: tuple[int, int, int] | None = None  # (-count, gap, position)
    clusters: dict[int, list[tuple[int, int]]] = {}
    # two rows with the same detail: the second cannot take the first's place
    for q in [q for q in occ.of(rare.pieces[0]) if q not in (used or ())][:MAX_CANDIDATES]:
        spans = clusters[q] = _cluster(occ, group, rare, q, size)
        covered = sum(b - a for a, b in spans)
        gap = max(b for _, b in spans) - min(a for a, _ in spans) - covered
        # most texts together, then the tightest block (a chronology row, whose cells
        # follow one another, rather than the chart, where a category is only nearby)
        score = (-len(spans), gap, q)
        if best is None or score < best:
            best = score
    if best is None or (len(group) > 2 and -best[0] * 2 <= len(group)):
        return None  # fewer than half its texts: the block is not there (a lost row)
    return best[2], clusters[best[2]]


def _score(
    occ: Occurrences,
    group: Sequence[Expected],
    lo: int,
    hi: int,
    starts: Sequence[int],
    taken: Sequence[tuple[int, int]] = (),
) -> int:
    """How much of the group's text lies in ``[lo, hi)``: characters of the texts found."""
    lost = set(_unclaimed(occ, group, lo, hi, starts, taken))
    return sum(len(p) for e in group if e.index not in lost for p in e.pieces)


def missing_in_groups(
    text: str, groups: Sequence[Sequence[Expected]], starts: Sequence[int] = ()
) -> list[int]:
    """Indexes of the expected texts not found in their group's region of ``text``.

    Groups are placed (``_place``) and sorted by placement; the boundary between
    two neighbours is chosen among the places where the second one's texts occur
    (or the first one's end), so that as much text as possible of both lies on its
    own side.
    A text lost from one row is then not found in the next row that also has it.
    """
    occ = Occurrences(text)
    found: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    used: set[int] = set()
    for number, group in enumerate(groups):
        place = _place(occ, group, starts, used)
        if place is not None:
            found[number] = place
            used.add(place[0])
    placed = sorted((place[0], number) for number, place in found.items())
    bounds = [0]
    for k in range(len(placed) - 1):
        (q, this), (q_next, nxt) = placed[k], placed[k + 1]
        hi = placed[k + 2][0] if k + 2 < len(placed) else len(text)
        # the block after next keeps its own texts: the next one cannot borrow them
        taken = found[placed[k + 2][1]][1] if k + 2 < len(placed) else []
        lo = bounds[-1]
        # where the next block may start: at one of its texts, or just after one of
        # this block's (a one-text group placed inside this block's text moves past it)
        candidates = {q_next}
        for e in groups[nxt]:
            candidates.update(occ.within(e.pieces[0], q + 1, hi))
        for e in groups[this]:
            size = len(e.pieces[0])
            candidates.update(p + size for p in occ.within(e.pieces[0], q, hi - size))
        ordered = sorted(c for c in candidates if lo <= c <= hi)
        ordered.sort(key=lambda c: abs(c - q_next))
        # the first (smallest) boundary with the best score; all of both blocks is the best
        # there can be, so the search stops there (the usual case: the next block's start)
        whole = sum(len(p) for g in (groups[this], groups[nxt]) for e in g for p in e.pieces)
        best, best_score = q_next, -1
        for b in sorted(ordered[:MAX_CANDIDATES]):
            score = _score(occ, groups[this], lo, b, starts)
            score += _score(occ, groups[nxt], b, hi, starts, taken)
            if score > best_score:
                best, best_score = b, score
                if score == whole:
                    break
        bounds.append(best)
    bounds.append(len(text))
    missing: list[int] = []
    placed_numbers = {number: k for k, (_, number) in enumerate(placed)}
    for number, group in enumerate(groups):
        k = placed_numbers.get(number)
        if k is None:
            missing += [e.index for e in group]
            continue
        missing += _unclaimed(occ, group, bounds[k], bounds[k + 1], starts)
    return missing


def _unclaimed(
    occ: Occurrences,
    group: Sequence[Expected],
    lo: int,
    hi: int,
    page_starts: Sequence[int],
    taken: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """The group's texts that cannot each be given their own stretch of ``[lo, hi)``.

    Longest first, each text claims an occurrence that overlaps no other's: a tie
    "Russia" lost from a row is not found inside that row's notes "…other than Russia".
    A text cut by a page break (a table row continuing after the repeated header) is
    found as a prefix before the break and the rest after it.
    """
    claimed = Claims(taken)
    missing: list[int] = []
    resume: dict[str, int] = {}  # the same text twice: the second looks after the first
    for exp in sorted(group, key=lambda e: -sum(len(p) for p in e.pieces)):
        if len(exp.pieces) > 1:  # right-to-left words: each somewhere in the region
            if not _found(occ, exp, lo, hi):
                missing.append(exp.index)
            continue
        piece = exp.pieces[0]
        positions = occ.within(piece, lo, hi - len(piece) + 1)
        spot = None
        for k in range(resume.get(piece, 0), len(positions)):
            if claimed.free(positions[k], positions[k] + len(piece)):
                spot = positions[k]
                resume[piece] = k + 1
                break
        else:
            resume[piece] = len(positions)
        if spot is not None:
            claimed.add(spot, spot + len(piece))
        elif (
            len(piece) < SPLIT_MIN
            or _across_pages(occ.text, piece, lo, hi, page_starts, claimed) is None
        ):
            missing.append(exp.index)
    return sorted(missing)


def _across_pages(
    text: str,
    piece: str,
    lo: int,
    hi: int,
    page_starts: Sequence[int],
    claimed: Claims,
) -> int | None:
    """Where ``piece`` starts when printed in parts, each on a later page than the last, within
    ``[lo, hi)``: before each page break, the longest start of what is left; after the
    last, the rest, in a stretch no other text has. Greedy: linear in the pages."""

    def free_find(part: str, a: int, b: int) -> int:
        pos = text.find(part, a, b)
        while pos != -1 and not claimed.free(pos, pos + len(part)):
            pos = text.find(part, pos + 1, b)
        return pos

    rest, since = piece, lo
    parts: list[tuple[int, int]] = []
    for start in page_starts:
        if not since < start < hi:
            continue
        short, long_ = 0, len(rest) - 1  # the longest prefix before this page starts
        while short < long_:
            mid = (short + long_ + 1) // 2
            if free_find(rest[:mid], since, start) != -1:
                short = mid
            else:
                long_ = mid - 1
        if short == 0:
            continue  # not begun yet
        pos = free_find(rest[:short], since, start)
        parts.append((pos, pos + short))
        rest, since = rest[short:], start
        pos = free_find(rest, start, hi)
        if pos != -1:
            for a, b in [*parts, (pos, pos + len(rest))]:
                claimed.add(a, b)
            return parts[0][0]
    return None


def missing_anywhere(
    text: str, expected: Sequence[Expected], starts: Sequence[int] = ()
) -> list[int]:
    """Indexes of the expected texts found nowhere in ``text``, whole or across pages."""
    occ = Occurrences(text)
    return [
        e.index
        for e in expected
        if not _found(occ, e, 0, len(text))
        and not (
            len(e.pieces) == 1
            and len(e.pieces[0]) >= SPLIT_MIN
            and _across_pages(text, e.pieces[0], 0, len(text), starts, Claims()) is not None
        )
    ]
