"""Markdown documents -> sections (chunks) with stable ids.

The convention a store owner follows (docs/knowledge.md):

* one topic per file; the file's stem is the document id (``returns.md`` -> ``returns``);
* the first ``# `` heading is the document title;
* each ``## `` or ``### `` heading starts a section; ``{#some-id}`` at the end of a heading
  fixes its id (use the same id in the Chinese and English versions of a section),
  otherwise the id is made from the heading;
* a heading ``Q: ...`` / ``问：...`` makes the section a question-answer pair;
* a quoted line ``> Customers ask: ... | ...`` / ``> 顾客常问：...｜...`` in a section lists
  the ways customers ask for it (sample questions): retrieval matches a question against
  them too, and they are never part of the section's text (so never quoted in answers);
* the language comes from a ``zh/`` or ``en/`` folder, or a ``.zh.md`` / ``.en.md``
  suffix, else from the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kefu.errors import DataFormatError
from kefu.knowledge.types import Chunk

LANGS = ("zh", "en")
MAX_SECTION_CHARS = 1500  # longer sections are split at paragraphs into parts

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$")
_EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9][A-Za-z0-9_-]*)\}\s*$")
_SAMPLE_QUESTIONS = re.compile(r"^\s*>\s*(?:Customers ask|顾客常问)\s*[:：](.*)$",
                               re.IGNORECASE)
_QUESTION_SEPARATOR = re.compile(r"[|｜]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_FAQ = re.compile(r"^(?:Q|FAQ|问|问题)\s*[:：]\s*(.+)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?])|(?<=[.;])\s+(?=[A-Z0-9\"“(])")
_MARKUP = re.compile(r"\*\*|__|`|^\s*(?:[-*+]|\d+[.)])\s+|^>\s*", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]+")


def slugify(heading: str) -> str:
    """A section id from a heading: ``Who pays return shipping?`` -> ``who-pays-return-shipping``.

    Chinese characters are kept, so ``运费说明`` -> ``运费说明``.
    """
    words = re.findall(r"[A-Za-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]+", heading.lower())
    return "-".join(words) or "section"


def text_language(text: str) -> str:
    """``zh`` when Chinese characters weigh at least as much as English words, else ``en``."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk >= 1.5 * latin else "en"


def question_language(question: str) -> str:
    """A customer's language, ``zh`` or ``en`` (mixed Chinese and English counts as zh)."""
    from kefu.nlu.language import detect_language

    return "en" if detect_language(question) == "en" else "zh"


def doc_id_and_language(path: Path) -> tuple[str, str | None]:
    """``en/returns.md`` -> (returns, en); ``returns.zh.md`` -> (returns, zh); else lang None."""
    stem = path.name[: -len(".md")] if path.name.endswith(".md") else path.stem
    for lang in LANGS:
        if stem.endswith(f".{lang}"):
            return stem[: -len(lang) - 1], lang
    parent = path.parent.name.lower()
    return stem, parent if parent in LANGS else None


def _split_long(body: str) -> list[str]:
    if len(body) <= MAX_SECTION_CHARS:
        return [body]
    parts: list[str] = []
    current = ""
    for paragraph in re.split(r"\n\s*\n", body):
        if current and len(current) + len(paragraph) > MAX_SECTION_CHARS:
            parts.append(current.strip())
            current = ""
        current += paragraph + "\n\n"
    if current.strip():
        parts.append(current.strip())
    return parts


def sample_questions(line: str, source_path: str, number: int) -> list[str] | None:
    """The questions of a ``> Customers ask: a | b`` line (None for any other line).

    Empty items (a trailing ``|``) are skipped; a line that lists no question is an error
    naming the file and line, since the owner clearly meant to write some."""
    match = _SAMPLE_QUESTIONS.match(line)
    if not match:
        return None
    questions = [q.strip() for q in _QUESTION_SEPARATOR.split(match.group(1)) if q.strip()]
    if not questions:
        raise DataFormatError(
            "a 'Customers ask:' line lists no question", path=source_path, line=number,
            hint="write the questions after the colon, separated by |")
    return questions


@dataclass
class _Section:
    heading: str
    id: str
    line: int
    body: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def _parse_sections(text: str, source_path: str, doc: str) -> tuple[str, list[_Section]]:
    """The document's title and its sections (the text before the first section, if any,
    as ``intro``), with their body lines and sample questions."""
    title = doc
    sections: list[_Section] = []
    intro = _Section(doc, "intro", 1)
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1 and not sections and title == doc:
            title = _EXPLICIT_ID.sub("", match.group(2)).strip()
            continue
        if match and len(match.group(1)) >= 2:
            raw = match.group(2)
            explicit = _EXPLICIT_ID.search(raw)
            heading = _EXPLICIT_ID.sub("", raw).strip()
            section = explicit.group(1) if explicit else slugify(heading)
            if section in seen:
                raise DataFormatError(
                    f"section id {section!r} is used twice (first on line {seen[section]})",
                    path=source_path, line=number,
                    hint="give one of the headings its own id with {#another-id}")
            seen[section] = number
            sections.append(_Section(heading, section, number))
            continue
        current = sections[-1] if sections else intro
        questions = sample_questions(line, source_path, number)
        if questions is None:
            current.body.append(line)
        else:
            current.questions.extend(questions)
    intro.heading = title
    if "\n".join(intro.body).strip() or intro.questions:
        sections.insert(0, intro)
    return title, sections


def chunk_markdown(text: str, source_path: str, *, lang: str | None = None) -> list[Chunk]:
    """The sections of one Markdown document (see the module docstring for the convention)."""
    doc, path_lang = doc_id_and_language(Path(source_path))
    lang = lang or path_lang or text_language(text)
    if lang not in LANGS:
        raise DataFormatError(f"unknown language {lang!r}", path=source_path,
                              hint="put the file in a zh/ or en/ folder")
    title, sections = _parse_sections(text, source_path, doc)
    chunks: list[Chunk] = []
    for section in sections:
        # (a removed "Customers ask:" line leaves its blank lines behind)
        body = _BLANK_LINES.sub("\n\n", "\n".join(section.body)).strip()
        if not body:
            if section.questions:
                raise DataFormatError(
                    f"section {section.id!r} has sample questions but no text to answer "
                    "them with", path=source_path, line=section.line,
                    hint="write the section's text, or remove its 'Customers ask:' line")
            continue
        faq = _FAQ.match(section.heading)
        for i, part in enumerate(_split_long(body)):
            chunks.append(Chunk(
                doc=doc, section=section.id if i == 0 else f"{section.id}-{i + 1}",
                lang=lang, title=title, heading=section.heading, text=part,
                source_path=source_path, position=len(chunks),
                question=faq.group(1).strip() if faq else None,
                # the questions ask for the section, so its first part
                sample_questions=tuple(section.questions) if i == 0 else ()))
    return chunks


def find_documents(directory: Path) -> list[Path]:
    """Every ``*.md`` file under ``directory`` (README.md excepted), sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataFormatError("is not a directory", path=str(directory),
                              hint="pass the folder that holds the knowledge base's .md files")
    return sorted(p for p in directory.rglob("*.md")
                  if p.is_file() and p.name.lower() != "readme.md")


def sentences(text: str) -> list[str]:
    """The sentences (and list items, and table rows) of a section body."""
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _TABLE_RULE.match(line) or line.lstrip().startswith("#"):
            continue
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.append(" — ".join(c for c in cells if c))
            continue
        line = _MARKUP.sub("", line).strip()
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def sentence_pairs(text: str) -> list[str]:
    """Each two adjacent sentences of a section body, joined: an answer often takes a
    sentence and the next ("Once issued, they take:" and its list), which one sentence's
    embedding misses and the whole section's dilutes."""
    parts = sentences(text)
    return [f"{first} {second}" for first, second in zip(parts, parts[1:], strict=False)]
