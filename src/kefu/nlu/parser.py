"""``Parser``: one call from a customer message to a :class:`~kefu.nlu.types.ParseResult`.

It combines the trained intent classifier, the entity extractor and language detection.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kefu.errors import InvalidInput
from kefu.nlu.classifier import IntentClassifier
from kefu.nlu.types import ParseResult

if TYPE_CHECKING:
    from kefu.settings import Settings

DEFAULT_MODEL_NAME = "kefu-nlu"


def default_model_dir(settings: Settings | None = None) -> Path:
    """``settings.nlu_model``, else ``settings.models_dir / "kefu-nlu"``."""
    if settings is None:
        from kefu.settings import get_settings

        settings = get_settings()
    return Path(settings.nlu_model) if settings.nlu_model else (
        settings.models_dir / DEFAULT_MODEL_NAME)


class Parser:
    """Understands customer messages: intent (with ranking), entities and language."""

    def __init__(self, classifier: IntentClassifier, extractor: Any | None = None,
                 max_chars: int = 2000) -> None:
        self.classifier = classifier
        self.extractor = extractor
        self.max_chars = max_chars

    @classmethod
    def load(cls, model_dir: Path | str | None = None, settings: Settings | None = None,
             *, entities: bool = True) -> Parser:
        """Load the trained model (default location: :func:`default_model_dir`)."""
        if settings is None:
            from kefu.settings import get_settings

            settings = get_settings()
        directory = Path(model_dir) if model_dir is not None else default_model_dir(settings)
        extractor = None
        if entities:
            from kefu.nlu.entities import EntityExtractor

            extractor = EntityExtractor()
        return cls(IntentClassifier.load(directory, backend=settings.nlu_backend), extractor,
                   max_chars=settings.max_message_chars)

    def parse(self, text: str) -> ParseResult:
        return self.parse_batch([text])[0]

    def parse_batch(self, texts: Sequence[str]) -> list[ParseResult]:
        from kefu.nlu.language import detect_language

        for text in texts:
            if not isinstance(text, str):
                raise InvalidInput(f"parse() needs a str, got {type(text).__name__}")
            if len(text) > self.max_chars:
                raise InvalidInput(f"message is {len(text)} characters, the limit is "
                                   f"{self.max_chars}", hint="set KEFU_MAX_MESSAGE_CHARS")
        predictions = self.classifier.predict(list(texts))
        results: list[ParseResult] = []
        for text, prediction in zip(texts, predictions, strict=True):
            language = detect_language(text)
            entities = tuple(self.extractor.extract(text, language)) if self.extractor else ()
            results.append(ParseResult(text=text, intent=prediction.intent,
                                       ranking=prediction.ranking, entities=entities,
                                       language=language,
                                       out_of_scope=prediction.out_of_scope))
        return results
