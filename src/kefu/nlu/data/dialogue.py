"""kefu's native dialogue format: JSON lines (or a JSON array) of annotated conversations.

One dialogue::

    {"dialogue": [
      {"role": "user", "content": "Where is #W123?", "intent": "order_status",
       "entities": [{"type": "order_id", "value": "#W123", "start": 9, "end": 14}]},
      {"role": "assistant", "content": "It shipped yesterday."}]}

Every user turn with an ``intent`` becomes an :class:`~kefu.nlu.types.Example`. An
entity's ``start``/``end`` must select its ``text`` (or, when ``text`` is absent, its
``value``) in ``content``; give ``text`` when the value is normalised (``"value":
"#W123", "text": "W123"``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kefu.errors import DataFormatError
from kefu.nlu.types import Entity, Example

ROLES = ("user", "assistant", "system")


def _entity(raw: Any, content: str, *, where: str, path: str, line: int | None) -> Entity:
    if not isinstance(raw, dict):
        raise DataFormatError(f"{where}: an entity must be an object, got {raw!r}",
                              path=path, line=line)
    missing = [k for k in ("type", "start", "end") if k not in raw]
    if missing:
        raise DataFormatError(f"{where}: entity {raw!r} lacks {', '.join(missing)}",
                              path=path, line=line)
    start, end = raw["start"], raw["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(content)):
        raise DataFormatError(
            f"{where}: entity offsets {start}..{end} are outside the text "
            f"(length {len(content)})", path=path, line=line)
    span = content[start:end]
    expected = raw.get("text", raw.get("value"))
    if expected is None:
        raise DataFormatError(f"{where}: entity {raw!r} needs a value or a text",
                              path=path, line=line)
    if span != expected:
        raise DataFormatError(
            f"{where}: entity offsets {start}..{end} select {span!r}, not {expected!r}",
            path=path, line=line, hint="start is inclusive, end exclusive, in characters")
    return Entity(type=str(raw["type"]), value=str(raw.get("value", span)), start=start,
                  end=end, text=span, source="annotation")


def examples_from_dialogue(record: Any, *, path: str, line: int | None,
                           label: str) -> list[Example]:
    """The labelled user turns of one ``{"dialogue": [...]}`` record."""
    if not isinstance(record, dict) or not isinstance(record.get("dialogue"), list):
        raise DataFormatError(f"{label}: expected an object with a \"dialogue\" list",
                              path=path, line=line)
    examples: list[Example] = []
    for number, turn in enumerate(record["dialogue"], start=1):
        where = f"{label}, turn {number}"
        if not isinstance(turn, dict):
            raise DataFormatError(f"{where}: a turn must be an object", path=path, line=line)
        role = turn.get("role")
        if role not in ROLES:
            raise DataFormatError(f"{where}: unknown role {role!r}", path=path, line=line,
                                  hint=f"use one of {', '.join(ROLES)}")
        content = turn.get("content")
        if not isinstance(content, str) or not content.strip():
            raise DataFormatError(f"{where}: content must be a non-empty string",
                                  path=path, line=line)
        if role != "user":
            continue
        intent = turn.get("intent")
        if intent is None:
            if turn.get("entities"):
                raise DataFormatError(f"{where}: entities given but no intent",
                                      path=path, line=line)
            continue
        if not isinstance(intent, str) or not intent.strip():
            raise DataFormatError(f"{where}: intent must be a non-empty string",
                                  path=path, line=line)
        entities = tuple(_entity(e, content, where=where, path=path, line=line)
                         for e in turn.get("entities") or ())
        source = f"{path}:{line}" if line is not None else f"{path}#{label}"
        examples.append(Example(text=content, intent=intent.strip(), entities=entities,
                                source=source))
    return examples


def load_dialogues(path: Path) -> list[Example]:
    """Read ``.jsonl`` (one dialogue per line) or ``.json`` (an array of dialogues)."""
    source = str(path)
    text = Path(path).read_text(encoding="utf-8")
    if not text.strip():
        raise DataFormatError("the file is empty", path=source,
                              hint='write one {"dialogue": [...]} per line')
    examples: list[Example] = []
    if Path(path).suffix == ".jsonl":
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"not valid JSON: {exc.msg}", path=source,
                                      line=line_no) from None
            examples += examples_from_dialogue(record, path=source, line=line_no,
                                               label="dialogue")
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFormatError(f"not valid JSON: {exc.msg}", path=source,
                                  line=exc.lineno) from None
        records = data if isinstance(data, list) else [data]
        for number, record in enumerate(records, start=1):
            examples += examples_from_dialogue(record, path=source, line=None,
                                               label=f"dialogue {number}")
    if not examples:
        raise DataFormatError("no user turn with an intent found", path=source,
                              hint='label user turns with "intent"')
    return examples
