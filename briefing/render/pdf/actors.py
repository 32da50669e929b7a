"""The actor table: who the parties are, what they want, who backs whom.

Why its columns come from the schema: a key added to ``actors`` in the format gets
a column without a second list to keep in step (``ACTOR_COLUMNS``).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from briefing.model import Actor, Briefing, PartialDate
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import cite, isolated, para, paragraph
from briefing.render.pdf.tables import Column, data_table, table_heading
from briefing.source.markdown import plain
from briefing.source.schema import ACTOR

#: Relative widths of the actor columns; the columns themselves are the schema's actor
#: keys, in its order, headed by the key's name (a key added to the format gets a column).
ACTOR_WEIGHTS = {"name": 1.3, "type": 0.7, "role": 1.3, "alignment": 1.4, "ties": 1.1, "notes": 2.3}
ACTOR_COLUMNS: tuple[tuple[str, str, float], ...] = tuple(
    (f.key, f.key.replace("_", " ").capitalize(), ACTOR_WEIGHTS.get(f.key, 0.5))
    for f in ACTOR.fields
)


def _actor_value(actor: Actor, key: str) -> str | None:
    """The cell's text for any kind of value the schema may declare: a list joined, a
    date at its own precision, a text as written; None for an empty cell."""
    value = getattr(actor, key)
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, PartialDate):
        return value.label()
    return str(value)


def _column_words(actors: tuple[Actor, ...], key: str) -> list[str]:
    """Texts whose words a column must hold unbroken (each column's minimum is capped)."""
    if key == "source":
        return ["[999]"]
    return [plain(_actor_value(a, key) or "") for a in actors]


def actor_section(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """The actor table: a column only when some actor fills it; never empty (omitted then)."""
    if not b.actors:
        return []
    s = inputs.styles
    n = b.source_numbers()
    keys = [c for c in ACTOR_COLUMNS if any(_actor_value(a, c[0]) for a in b.actors)]
    rows: list[list[Flowable]] = []
    for actor in b.actors:
        row: list[Flowable] = []
        for key, _, _ in keys:
            if key == "source":
                row.append(Paragraph(cite(actor.source, n), s.cell))
            elif key == "ties":
                ties = ", ".join(isolated(t, n) for t in actor.ties)
                row.append(paragraph(ties, s.cell, raw=" ".join(actor.ties)))
            else:
                style = s.cell_bold if key == "name" else s.cell
                row.append(para(_actor_value(actor, key) or "", style, n))
        rows.append(row)
    spec = [
        Column(header, weight, _column_words(b.actors, key), bold=key == "name")
        for key, header, weight in keys
    ]
    g = inputs.geometry
    table = data_table(spec, rows, g.frame_width, s, g.frame_height)
    head = table_heading("Actors", s.h1, "actors", 0, n)
    if table.wrap(g.frame_width, g.frame_height)[1] <= SHORT_TABLE * g.frame_height:
        return [head[0], KeepTogether([*head[1:], table])]  # a short table is never split
    return [*head, table]


#: A table at most this share of the frame tall moves whole rather than leave a row behind.
SHORT_TABLE = 0.3
