"""List items whose ``- `` is missing: recognised, reported once, and split as meant.

Why: ``- id: a`` … ``id: b`` (the second ``- `` forgotten) is one mapping with
every key given twice; reporting that key by key, and then that the second id
does not exist, hides the one-character fix. These functions find the place
each item starts, report "a ``- `` is missing before line N" there, and hand
the walker the items as if the ``- `` were written, so the rest of the file is
checked normally.
"""

from __future__ import annotations

from collections import Counter

import yaml

from briefing.errors import SourceError, Span

MAP_TAG = "tag:yaml.org,2002:map"


def short(text: str, limit: int = 40) -> str:
    """A key or value quoted in a message, cut so one absurd value cannot flood the terminal."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_items(
    node: yaml.Node,
    path: str,
    index: int,
    file: str,
    errors: list[SourceError],
    *,
    first_missing: bool = False,
) -> list[yaml.Node]:
    """The items one list item holds: a block mapping is split where its first key comes again.

    Each split is reported in ``errors`` at the key that starts the new item,
    with the item's key path (``sources[1]``, counted from ``index``).
    ``first_missing``: ``node`` is a mapping written where a list belongs
    (``sources:`` with every ``- `` missing), so its first item lacks one too.
    """
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        return [node]
    first = node.value[0][0]
    if not isinstance(first, yaml.ScalarNode) or node.tag != MAP_TAG:
        return [node]
    parts: list[list[tuple[yaml.Node, yaml.Node]]] = [[]]
    for key, value in node.value:
        if (parts[-1] or first_missing) and same_key(key, first):
            span = Span(file, key.start_mark.line + 1, key.start_mark.column + 1)
            shown = value.value if isinstance(value, yaml.ScalarNode) else "…"
            fix = f"write `- {short(first.value)}: {short(shown, 30)}`"
            why = (
                f"`{short(first.value)}` comes again, so a new item starts here"
                if parts[-1]
                else f"each item of `{short(path.rsplit('.', 1)[-1])}` starts with `- `"
            )
            message = f"a `- ` is missing before line {span.line}: {why}; {fix}"
            where = f"{path}[{index + len(parts) - (not parts[-1])}]"
            errors.append(SourceError(span, where, message))
            if parts[-1]:
                parts.append([])
        parts[-1].append((key, value))
    if len(parts) == 1:
        return [node]
    return [
        yaml.MappingNode(node.tag, pairs, pairs[0][0].start_mark, pairs[-1][1].end_mark)
        for pairs in parts
    ]


def same_key(key: yaml.Node, first: yaml.Node) -> bool:
    return isinstance(key, yaml.ScalarNode) and key.value == first.value


def first_key_repeats(node: yaml.MappingNode) -> bool:
    """A block mapping whose keys come again in a round: list items with every ``- `` missing.

    The first key and at least one other both repeat (``id``, ``title``, ``id``,
    ``title``); one key given twice (``title``, ``title``) stays a duplicate key.
    """
    if node.flow_style or not node.value or node.tag != MAP_TAG:
        return False
    counts = Counter(k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode))
    first = node.value[0][0]
    repeated = sum(1 for n in counts.values() if n > 1)
    return isinstance(first, yaml.ScalarNode) and counts[first.value] > 1 and repeated > 1
