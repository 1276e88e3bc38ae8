"""Reading training data: Rasa YAML, CSV, dialogue JSON(L), and the errors they raise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.errors import DataFormatError
from kefu.nlu.data import data_fingerprint, load_examples, parse_markup, shipped_data
from kefu.nlu.types import Entity

RASA = """\
version: "3.1"
nlu:
- intent: order_status
  examples: |
    - where is my order [#W2378156](order_id)?
    - 订单[W123](order_id:#W123)到哪了
    - track it please
- synonym: tv
  examples: |
    - television
- intent: return_item
  examples: |
    - return the [red]{"entity": "option", "value": "red"} [shoes](product)
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rasa_yaml_examples_entities_and_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "nlu.yml", RASA)
    examples = load_examples(path)
    assert [e.intent for e in examples] == ["order_status"] * 3 + ["return_item"]
    first = examples[0]
    assert first.text == "where is my order #W2378156?"
    assert first.entities == (Entity("order_id", "#W2378156", 18, 27, "#W2378156",
                                     source="annotation"),)
    assert first.source == f"{path}:5"
    zh = examples[1]
    assert zh.text == "订单W123到哪了"
    assert (zh.entities[0].value, zh.entities[0].text, zh.entities[0].start) == ("#W123", "W123", 2)
    last = examples[3]
    assert last.text == "return the red shoes"
    assert [(e.type, last.text[e.start:e.end]) for e in last.entities] == [
        ("option", "red"), ("product", "shoes")]
    assert last.source.endswith(":13")


def test_rasa_markup_errors_name_the_line(tmp_path: Path) -> None:
    bad = RASA.replace("track it please", "track [it(product) please")
    with pytest.raises(DataFormatError, match=r"nlu.yml:7: bad entity markup"):
        load_examples(write(tmp_path, "nlu.yml", bad))
    with pytest.raises(DataFormatError, match="needs an \"entity\" key"):
        parse_markup('[x]{"value": "y"}', path="f.yml", line_no=3)


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("version: '3.1'\n", "no nlu: section"),
    ("nlu:\n- examples: |\n    - hi\n", "nlu item without intent"),
    ("nlu:\n- intent: greet\n", "has no examples"),
    ("nlu:\n- intent: greet\n  examples: |\n    hello\n", "does not start with '- '"),
    ("nlu: [unclosed\n", "not valid YAML"),
])
def test_rasa_invalid_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataFormatError, match=message) as info:
        load_examples(write(tmp_path, "bad.yaml", text))
    assert info.value.path == str(tmp_path / "bad.yaml")


def test_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "text,label\n\"hi, there\",greeting\n退货,return_item\n")
    examples = load_examples(path)
    assert [(e.text, e.intent) for e in examples] == [("hi, there", "greeting"),
                                                      ("退货", "return_item")]
    assert examples[1].source == f"{path}:3"


def test_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"d.csv:3: missing label for 'bye'"):
        load_examples(write(tmp_path, "d.csv", "text,label\nhi,greeting\nbye,\n"))
    with pytest.raises(DataFormatError, match="lacks text and label"):
        load_examples(write(tmp_path, "d.csv", "sentence,y\nhi,greeting\n"))
    with pytest.raises(DataFormatError, match="empty"):
        load_examples(write(tmp_path, "d.csv", ""))


DIALOGUE = {"dialogue": [
    {"role": "user", "content": "Where is #W123?", "intent": "order_status",
     "entities": [{"type": "order_id", "value": "#W123", "start": 9, "end": 14}]},
    {"role": "assistant", "content": "It shipped yesterday."},
    {"role": "user", "content": "thanks!", "intent": "thanks"},
    {"role": "user", "content": "unlabelled turn"},
]}


def test_dialogue_jsonl_and_json(tmp_path: Path) -> None:
    jsonl = write(tmp_path, "d.jsonl", json.dumps(DIALOGUE) + "\n\n" + json.dumps(DIALOGUE))
    examples = load_examples(jsonl)
    assert [e.intent for e in examples] == ["order_status", "thanks"] * 2
    assert examples[0].entities[0] == Entity("order_id", "#W123", 9, 14, "#W123",
                                             source="annotation")
    assert examples[2].source == f"{jsonl}:3"
    array = write(tmp_path, "d.json", json.dumps([DIALOGUE], ensure_ascii=False))
    assert [e.text for e in load_examples(array)] == ["Where is #W123?", "thanks!"]


def _with_turn(turn: dict) -> str:
    return json.dumps({"dialogue": [turn]})


@pytest.mark.parametrize(("line", "message"), [
    (_with_turn({"role": "customer", "content": "hi", "intent": "greeting"}),
     "unknown role 'customer'"),
    (_with_turn({"role": "user", "content": "Where is #W123?", "intent": "order_status",
                 "entities": [{"type": "order_id", "value": "#W123", "start": 8, "end": 13}]}),
     r"select ' #W12', not '#W123'"),
    (_with_turn({"role": "user", "content": "hi", "intent": "x",
                 "entities": [{"type": "t", "value": "hi", "start": 0, "end": 9}]}),
     "outside the text"),
    (_with_turn({"role": "user", "content": "", "intent": "greeting"}), "non-empty string"),
    ('{"dialogue": [', "not valid JSON"),
    ('{"turns": []}', "expected an object with a \"dialogue\" list"),
])
def test_dialogue_errors_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, "d.jsonl", json.dumps(DIALOGUE) + "\n" + line + "\n")
    with pytest.raises(DataFormatError, match=message) as info:
        load_examples(path)
    assert info.value.line == 2
    assert str(info.value).startswith(f"{path}:2: ")


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="unknown training data format '.txt'"):
        load_examples(write(tmp_path, "d.txt", "hi"))
    with pytest.raises(DataFormatError, match="no such file"):
        load_examples(tmp_path / "absent.csv")


def test_shipped_data_parses_and_fingerprints() -> None:
    paths = shipped_data("train") + shipped_data("test")
    for path in paths:
        examples = load_examples(path)
        assert len(examples) > 10
        for example in examples:
            for entity in example.entities:
                assert example.text[entity.start:entity.end] == entity.text
    hashes = data_fingerprint(paths)
    assert all(len(h) == 64 for h in hashes.values())
