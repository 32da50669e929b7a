"""Briefing → the list of flowables, in reading order. Pure: no canvas, no files.

Why: the order is the product. Page 1 carries what a reader who reads nothing
else must see (``front``); then the changes box, the timeline chart and its
chronology (``chronology``), the actor table (``actors``: who the parties are,
who backs whom), the body, and the sources every citation links to (``body``).
Each section is called through its module, so a test can replace one.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from briefing.model import Briefing
from briefing.render.pdf import actors, body, chronology, front
from briefing.render.pdf.changes import changes_box
from briefing.render.pdf.inputs import StoryInputs


def build_story(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    return [
        *front.front_page(b, inputs),
        *changes_box(inputs),
        *chronology.timeline_section(b, inputs),
        *actors.actor_section(b, inputs),
        *body.sections(b, inputs),
        *body.sources(b, inputs),
    ]
