"""CSV training data: a header ``text,label`` (``intent`` is accepted for ``label``)."""

from __future__ import annotations

import csv
from pathlib import Path

from kefu.errors import DataFormatError
from kefu.nlu.types import Example

LABEL_COLUMNS = ("label", "intent")


def load_csv(path: Path) -> list[Example]:
    source = str(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames
        if not header:
            raise DataFormatError("the file is empty", path=source,
                                  hint="the first line must be the header text,label")
        label_column = next((c for c in LABEL_COLUMNS if c in header), None)
        if "text" not in header or label_column is None:
            raise DataFormatError(f"header {','.join(header)!r} lacks text and label columns",
                                  path=source, line=1, hint="the first line must be text,label")
        examples: list[Example] = []
        for row in reader:
            line = reader.line_num
            text = (row.get("text") or "").strip()
            label = (row.get(label_column) or "").strip()
            if not text and not label:
                continue
            if not text:
                raise DataFormatError("empty text", path=source, line=line)
            if not label:
                raise DataFormatError(f"missing label for {text!r}", path=source, line=line)
            examples.append(Example(text=text, intent=label, source=f"{source}:{line}"))
    if not examples:
        raise DataFormatError("no examples after the header", path=source)
    return examples
