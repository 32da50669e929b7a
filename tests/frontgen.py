"""Sources at page 1's bounds: 7 bullets of 250 words in all, 8 key facts, 15 places.

Shared by the page-1 tests; a source text is generated (not a fixture file) so the
bounds can be varied: page size, subtitle, a long title, draft, more than the bounds.
"""

from __future__ import annotations

import random

#: Ordinary prose: about 6 characters a word with its space, as in real briefings.
PROSE = (
    "the of and to in a on for with by as at is was that from its has after army talks "
    "border police north mayor vote EU Serbia Kosovo attack local said would could said "
    "ceasefire refugees sanctions agreement monitors corridor militia patrols envoy dialogue"
)
WORDS = PROSE.split(" ")

PLACES = [
    ("Pristina", 42.6629, 21.1655), ("Mitrovica", 42.8914, 20.8660),
    ("Zvečan", 42.9078, 20.8403), ("Leposavić", 43.1039, 20.8028),
    ("Zubin Potok", 42.9144, 20.6897), ("Banjska", 43.0010, 20.7780),
    ("Jarinje", 43.1483, 20.7836), ("Brnjak", 42.8167, 20.6167),
    ("Gračanica", 42.6000, 21.1933), ("Štrpce", 42.2394, 21.0275),
    ("Prizren", 42.2139, 20.7397), ("Peja", 42.6593, 20.2887),
    ("Belgrade", 44.7866, 20.4489), ("Raška", 43.2861, 20.6139),
    ("Novi Pazar", 43.1367, 20.5122), ("Gjilan", 42.4635, 21.4694),
    ("Ferizaj", 42.3702, 21.1553),
]  # fmt: skip


def bullets(count: int, words: int, seed: int = 1) -> list[str]:
    """``count`` bullets of ``words`` words in all, each ending in a unique tag ``bN``."""
    rng = random.Random(seed)
    sizes = [words // count + (1 if i < words % count else 0) for i in range(count)]
    return [" ".join([*(rng.choice(WORDS) for _ in range(size - 1)), f"b{i}tag"])
            for i, size in enumerate(sizes)]  # fmt: skip


def source(
    *,
    page_size: str = "A4",
    subtitle: bool = True,
    long_title: bool = False,
    draft: bool = False,
    bullet_count: int = 7,
    words: int = 250,
    facts: int = 8,
    places: int = 15,
    timeline: bool = True,
) -> str:
    title = "Kosovo and Serbia: Tension in the North After the Banjska Attack"
    if long_title:
        title += " and What the EU-Facilitated Dialogue Can Still Achieve Before the Elections"
    lines = [
        f'title: "{title}"',
        "as_of: 2023-10-05",
        f"page_size: {page_size}",
        "marking: OFFICIAL",
        "organization: Western Balkans Desk",
        "authors: [Balkans team, Second Analyst]",
        "review_by: 2099-01-01",
    ]
    if subtitle:
        lines.append("subtitle: What happened in the north, who is involved and what to watch next")
    if draft:
        lines.append("draft: true")
    lines.append("summary:")
    lines += [f'  - "{text}"' for text in bullets(bullet_count, words)]
    if facts:
        lines.append("key_facts:")
        for i in range(facts):
            lines.append(f'  - {{label: "Fact label number {i} about the north", '
                         f'value: "value{i} {1000 * (i + 1):,}"}}')  # fmt: skip
    lines += ["map:", "  title: Northern Kosovo maptitle", "  region: Kosovo and southern Serbia"]
    lines.append("  caption: Boundaries are shown for orientation only.")
    if places:
        lines.append("  places:")
        for name, lat, lon in (PLACES * 2)[:places]:
            lines.append(f'    - {{name: "{name}", lat: {lat}, lon: {lon}}}')
    if timeline:
        lines += ["timeline:", "  events:"]
        lines += [f"    - {{date: 2023-0{m}, label: Event in month {m}}}" for m in range(1, 10)]
    lines += ["sections:", "  - heading: Background", "    body: Some text."]
    return "\n".join(lines) + "\n"
