"""Find and mask personal data in a message: :class:`PiiMasker`.

Presidio does the work, offline: its analyzer runs kefu's pattern recognizers
(:mod:`kefu.privacy.recognizers`) over a *blank* spaCy pipeline for English and Chinese
(tokenisation only; no model to download), and its anonymizer writes the readable masks
of :mod:`kefu.privacy.masks`. Presidio's predefined recognizers are not loaded: several
of them (US bank numbers, driver licences, phone numbers without formatting) would take
kefu's 10-digit item ids and 12-digit tracking numbers for personal data.

The engines are built once per process (:func:`get_masker`), on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kefu.errors import InvalidInput
from kefu.privacy import masks

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine
    from presidio_anonymizer import AnonymizerEngine

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class PiiFinding:
    """One piece of personal data: its kind, where it was (``start``/``end`` in the raw
    text), the detection score and what replaced it. The raw value is not kept."""

    entity_type: str
    start: int
    end: int
    score: float
    masked: str


@dataclass(frozen=True)
class MaskedText:
    """A text with its personal data masked, and what was found (offsets in the raw text)."""

    text: str
    findings: tuple[PiiFinding, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def map_offset(self, position: int) -> int:
        """Where a position of the raw text lies in the masked text.

        A position inside a masked span maps to the end of its mask.
        """
        shift = 0
        for f in self.findings:
            if position <= f.start:
                break
            if position < f.end:
                return f.start + shift + len(f.masked)
            shift += len(f.masked) - (f.end - f.start)
        return position + shift


def _masker_for(entity_type: str) -> Callable[[str], str]:
    from kefu.privacy import recognizers as r

    return {
        r.CN_PHONE: masks.mask_phone,
        r.PHONE_NUMBER: masks.mask_phone,
        r.EMAIL_ADDRESS: masks.mask_email,
        r.CN_RESIDENT_ID: masks.mask_resident_id,
        r.BANK_CARD: masks.mask_bank_card,
        r.STREET_ADDRESS: masks.mask_address,
    }[entity_type]


def detect_language(text: str) -> str:
    """"zh" when the text has any Han character, else "en" (for tokenisation only)."""
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def _may_hold_pii(text: str) -> bool:
    # Every kind kefu masks has a digit (phones, ids, cards, house numbers) or an "@".
    return "@" in text or any(ch.isdigit() for ch in text)


def _build_analyzer() -> AnalyzerEngine:
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from kefu.privacy.recognizers import kefu_recognizers

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        """spaCy tokenisers only: ``spacy.blank`` needs no model download."""

        def load(self) -> None:
            # Presidio types ``nlp`` as None until loaded; it is a dict of pipelines.
            self.nlp = {  # type: ignore[assignment]
                m["lang_code"]: spacy.blank(m["lang_code"]) for m in self.models}

    nlp_engine = BlankSpacyNlpEngine(
        models=[{"lang_code": lang, "model_name": f"blank:{lang}"} for lang in LANGUAGES])
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    for lang in LANGUAGES:
        for recognizer in kefu_recognizers(lang):
            registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine,
                          supported_languages=list(LANGUAGES))


class PiiMasker:
    """Masks phone numbers, e-mails, resident IDs, bank cards and street addresses.

    ``min_score`` drops weaker detections (validated ones score 1.0, pattern-only ones
    0.5-0.9). Thread-safe once built; build it once (see :func:`get_masker`).
    """

    def __init__(self, *, min_score: float = 0.5) -> None:
        if not 0.0 <= min_score <= 1.0:
            raise InvalidInput(f"min_score must be between 0 and 1, got {min_score}")
        self.min_score = min_score
        self._analyzer: AnalyzerEngine | None = None
        self._anonymizer: AnonymizerEngine | None = None
        self._operators: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _engines(self) -> tuple[AnalyzerEngine, AnonymizerEngine]:
        if self._analyzer is None or self._anonymizer is None:
            with self._lock:
                if self._analyzer is None or self._anonymizer is None:
                    from presidio_anonymizer import AnonymizerEngine
                    from presidio_anonymizer.entities import OperatorConfig

                    from kefu.privacy.recognizers import PII_ENTITIES

                    self._operators = {
                        t: OperatorConfig("custom", {"lambda": _masker_for(t)})
                        for t in PII_ENTITIES
                    }
                    self._anonymizer = AnonymizerEngine()
                    self._analyzer = _build_analyzer()
        return self._analyzer, self._anonymizer

    def analyze(self, text: str, lang: str | None = None) -> list[PiiFinding]:
        """The personal data in ``text``, by position, each with the mask it would get."""
        return [PiiFinding(r.entity_type, r.start, r.end, round(r.score, 3),
                           _masker_for(r.entity_type)(text[r.start:r.end]))
                for r in self._analyze(text, lang)]

    def _analyze(self, text: str, lang: str | None) -> list[Any]:
        """Presidio's results for ``text``, overlaps resolved, sorted by position."""
        if not text or not _may_hold_pii(text):
            return []
        analyzer, _ = self._engines()
        language = lang if lang in LANGUAGES else detect_language(text)
        results = analyzer.analyze(text=text, language=language,
                                   score_threshold=self.min_score)
        # Overlaps between kinds: keep the higher score, then the longer span.
        results.sort(key=lambda r: (-r.score, -(r.end - r.start), r.start))
        kept: list[Any] = []
        for result in results:
            if all(result.end <= k.start or result.start >= k.end for k in kept):
                kept.append(result)
        return sorted(kept, key=lambda r: r.start)

    def mask(self, text: str, lang: str | None = None) -> MaskedText:
        """``text`` with its personal data masked, and what was found."""
        results = self._analyze(text, lang)
        if not results:
            return MaskedText(text)
        _, anonymizer = self._engines()
        engine_result = anonymizer.anonymize(text=text, analyzer_results=results,
                                             operators=self._operators,
                                             merge_entities_with_spaces=False)
        items = sorted(engine_result.items, key=lambda i: i.start)
        findings = tuple(
            PiiFinding(r.entity_type, r.start, r.end, round(r.score, 3), item.text)
            for r, item in zip(results, items, strict=True)
        )
        return MaskedText(engine_result.text, findings)

    def mask_text(self, text: str, lang: str | None = None) -> str:
        """Just the masked text."""
        return self.mask(text, lang).text


_default: PiiMasker | None = None
_default_lock = threading.Lock()


def get_masker() -> PiiMasker:
    """The process-wide masker (Presidio engines are built on its first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = PiiMasker()
    return _default
