"""Rasa NLU training data (YAML, version 3.x) -> :class:`~kefu.nlu.types.Example`.

Supported: ``nlu:`` items with ``intent:`` and ``examples:`` (a ``|`` block of ``- text``
lines, or a list of ``{text: ...}``), entity markup ``[span](type)``, ``[span](type:value)``
and ``[span]{"entity": "type", "value": "..."}``. Other item kinds (``synonym``, ``regex``,
``lookup``) and other top-level keys (``responses``, ``stories``...) are ignored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kefu.errors import DataFormatError
from kefu.nlu.types import Entity, Example

# [span](type) / [span](type:value) / [span]{"entity": ...}
_MARKUP = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<paren>[^()]+)\)|(?P<json>\{[^{}]*\}))")
_IGNORED_ITEMS = ("synonym", "regex", "lookup")


def parse_markup(line: str, *, path: str, line_no: int) -> tuple[str, tuple[Entity, ...]]:
    """Strip entity markup from one example; offsets refer to the clean text."""
    clean: list[str] = []
    entities: list[Entity] = []
    cursor = 0
    length = 0
    for match in _MARKUP.finditer(line):
        clean.append(line[cursor:match.start()])
        length += match.start() - cursor
        span = match.group("text")
        if match.group("paren") is not None:
            type_, _, value = match.group("paren").partition(":")
        else:
            try:
                spec = json.loads(match.group("json"))
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"bad entity markup {match.group(0)!r}: {exc.msg}",
                                      path=path, line=line_no) from None
            if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
                raise DataFormatError(
                    f"bad entity markup {match.group(0)!r}: needs an \"entity\" key",
                    path=path, line=line_no)
            type_, value = spec["entity"], str(spec.get("value", ""))
        type_ = type_.strip()
        if not type_:
            raise DataFormatError(f"entity markup {match.group(0)!r} has no entity type",
                                  path=path, line=line_no)
        entities.append(Entity(type=type_, value=value.strip() or span, start=length,
                               end=length + len(span), text=span, source="annotation"))
        clean.append(span)
        length += len(span)
        cursor = match.end()
    clean.append(line[cursor:])
    text = "".join(clean)
    leftover = re.search(r"\[[^\]]*\]\(|\]\(", text)
    if leftover or (("[" in text) != ("]" in text)):
        raise DataFormatError(f"bad entity markup in {line!r}: unbalanced [ ] or ( )",
                              path=path, line=line_no,
                              hint="write entities as [span](type)")
    return text, tuple(entities)


def _example_lines(block: str, first_line: int, *, path: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for offset, raw in enumerate(block.splitlines()):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not stripped.startswith("- "):
            raise DataFormatError(f"example line {stripped!r} does not start with '- '",
                                  path=path, line=first_line + offset)
        out.append((stripped[2:].strip(), first_line + offset))
    return out


def load_rasa_yaml(path: Path) -> list[Example]:
    import yaml

    source = str(path)
    text = Path(path).read_text(encoding="utf-8")
    if not text.strip():
        raise DataFormatError("the file is empty", path=source,
                              hint="add an nlu: section with intents and examples")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFormatError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=source,
                              line=mark.line + 1 if mark else None) from None
    if not isinstance(root, yaml.MappingNode):
        raise DataFormatError("expected a mapping with an nlu: key at the top", path=source,
                              line=1)
    top = {k.value: v for k, v in root.value}
    if "nlu" not in top:
        raise DataFormatError("no nlu: section", path=source, line=1,
                              hint="Rasa 3 NLU data starts with `nlu:` and a list of intents")
    section = top["nlu"]
    if not isinstance(section, yaml.SequenceNode):
        raise DataFormatError("nlu: must be a list of `- intent:` items", path=source,
                              line=section.start_mark.line + 1)
    examples: list[Example] = []
    for item in section.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise DataFormatError("each nlu: item must be a mapping (- intent: ...)",
                                  path=source, line=line)
        fields = {k.value: v for k, v in item.value}
        if "intent" not in fields:
            if any(key in fields for key in _IGNORED_ITEMS):
                continue
            raise DataFormatError(f"nlu item without intent: (keys: {sorted(fields)})",
                                  path=source, line=line)
        intent = fields["intent"]
        if not isinstance(intent, yaml.ScalarNode) or not str(intent.value).strip():
            raise DataFormatError("missing intent name", path=source, line=line)
        label = str(intent.value).strip()
        node = fields.get("examples")
        if node is None:
            raise DataFormatError(f"intent {label!r} has no examples:", path=source, line=line)
        if isinstance(node, yaml.ScalarNode):
            # a `|` block: its content starts on the line after the indicator
            first = node.start_mark.line + 2 if node.style == "|" else node.start_mark.line + 1
            lines = _example_lines(node.value, first, path=source)
        elif isinstance(node, yaml.SequenceNode):
            lines = []
            for entry in node.value:
                entry_fields = ({k.value: v for k, v in entry.value}
                                if isinstance(entry, yaml.MappingNode) else {})
                text_node = entry_fields.get("text")
                if not isinstance(text_node, yaml.ScalarNode):
                    raise DataFormatError("each examples: entry needs a text:",
                                          path=source, line=entry.start_mark.line + 1)
                lines.append((str(text_node.value).strip(), text_node.start_mark.line + 1))
        else:
            raise DataFormatError(f"examples: of intent {label!r} must be a | block or a list",
                                  path=source, line=node.start_mark.line + 1)
        for raw, line_no in lines:
            clean, entities = parse_markup(raw, path=source, line_no=line_no)
            if not clean.strip():
                raise DataFormatError("empty example text", path=source, line=line_no)
            examples.append(Example(text=clean, intent=label, entities=entities,
                                    source=f"{source}:{line_no}"))
    if not examples:
        raise DataFormatError("no examples found", path=source)
    return examples
