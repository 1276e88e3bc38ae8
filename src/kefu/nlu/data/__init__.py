"""Training and test data: read examples from Rasa YAML, CSV or kefu's dialogue JSON(L).

The format is chosen by extension. Every reader raises
:class:`~kefu.errors.DataFormatError` naming the file, the line and what is wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from kefu.errors import DataFormatError
from kefu.nlu.data.dialogue import load_dialogues
from kefu.nlu.data.rasa import load_rasa_yaml, parse_markup
from kefu.nlu.data.tabular import load_csv
from kefu.nlu.types import Example

LANGUAGES = ("en", "zh")
_READERS = {
    ".yml": load_rasa_yaml,
    ".yaml": load_rasa_yaml,
    ".csv": load_csv,
    ".json": load_dialogues,
    ".jsonl": load_dialogues,
}


def load_examples(path: Path | str) -> list[Example]:
    """Examples of one file; the format follows the extension."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise DataFormatError(f"unknown training data format {path.suffix!r}", path=str(path),
                              hint="use .yml/.yaml (Rasa), .csv (text,label) or .json/.jsonl")
    if not path.is_file():
        raise DataFormatError("no such file", path=str(path))
    return reader(path)


def load_many(paths: Iterable[Path | str]) -> list[Example]:
    examples: list[Example] = []
    for path in paths:
        examples += load_examples(path)
    return examples


def shipped_data(split: str = "train", languages: Sequence[str] = LANGUAGES) -> list[Path]:
    """kefu's own labelled data (src/kefu/resources/nlu/<lang>/<split>.yml) that exists."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    root = Path(str(resources.files("kefu.resources") / "nlu"))
    paths = [root / lang / f"{split}.yml" for lang in languages]
    return [p for p in paths if p.is_file()]


def data_fingerprint(paths: Iterable[Path | str]) -> dict[str, str]:
    """sha256 of each file, for a trained model's metadata."""
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


__all__ = [
    "LANGUAGES",
    "data_fingerprint",
    "load_csv",
    "load_dialogues",
    "load_examples",
    "load_many",
    "load_rasa_yaml",
    "parse_markup",
    "shipped_data",
]
