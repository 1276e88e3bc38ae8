"""Getting the assistant ready: the default NLU model, trained once on the shipped data.

The model directory is cached (``models/nlu-default``); it is trained only when missing,
so later starts only load it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kefu.settings import Settings

Progress = Callable[[str], None]
log = logging.getLogger(__name__)


def model_is_ready(directory: Path) -> bool:
    from kefu.nlu.classifier import HEAD_FILE, MODEL_FILE

    return (directory / MODEL_FILE).is_file() and (directory / HEAD_FILE).is_file()


def ensure_default_model(settings: Settings, progress: Progress | None = None, *,
                         models_dir: Path | None = None) -> Path:
    """The default NLU model directory, prepared and trained first if it is missing."""
    from kefu.dialogue.understanding import DEFAULT_MODEL_NAME, default_model_dir

    say = progress or (lambda _message: None)
    target = (Path(models_dir) / DEFAULT_MODEL_NAME) if models_dir else \
        default_model_dir(settings)
    if not model_is_ready(target):
        from filelock import FileLock

        # Serve workers or test workers starting together: one trains, the others wait.
        target.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(target) + ".lock"):
            if not model_is_ready(target):
                _train_default_model(settings, target, say, models_dir)
    if settings.nlu_backend != "torch":
        from kefu.nlu.classifier import ENCODER_DIR
        from kefu.nlu.encoder.onnx import export_onnx, onnx_path

        int8 = settings.nlu_backend == "onnx-int8"
        if not onnx_path(target / ENCODER_DIR, int8).is_file():
            say(f"exporting the encoder for ONNX Runtime ({settings.nlu_backend}, once)")
            export_onnx(target / ENCODER_DIR, int8=int8,
                        base_dir=_base_dir(settings, models_dir))
    return target


def _base_dir(settings: Settings, models_dir: Path | None) -> Path:
    """The encoder the default model is trained on: ``base_model`` or the prepared e5."""
    from kefu.nlu.encoder import default_base_model_dir

    if settings.base_model:
        return Path(settings.base_model)
    return default_base_model_dir(Path(models_dir) if models_dir else settings.models_dir)


def _train_default_model(settings: Settings, target: Path, say: Progress,
                         models_dir: Path | None) -> None:
    from kefu.nlu.data import load_many, shipped_data
    from kefu.nlu.encoder import prepare_base_model
    from kefu.nlu.encoder.sentence import SentenceEncoder
    from kefu.nlu.frozen import train_frozen_head

    base_dir = _base_dir(settings, models_dir)
    if not settings.base_model:
        say("preparing the base encoder (multilingual-e5-small)")
        base_dir = prepare_base_model(base_dir).directory
    say("loading the encoder")
    encoder = SentenceEncoder.load(base_dir)
    # Only now: the export imports transformers too, and two threads importing it at once
    # can find its lazily loaded names half-made ("cannot import name 'AutoModel'").
    exporting = _export_in_background(settings, base_dir)
    examples = load_many(shipped_data("train"))
    say(f"training the intent model on {len(examples)} examples")
    model = train_frozen_head(examples, encoder)
    model.save(target)
    if exporting is not None:
        exporting.join()


def _export_in_background(settings: Settings, base_dir: Path) -> threading.Thread | None:
    """Export the base encoder's ONNX graph while the model trains: the export runs
    mostly on one core, and training leaves some of the second one idle (a first
    `kefu demo` reached its prompt 5 s sooner in one measurement, with the export started
    just before the encoder was loaded). The model's graph is then a link
    to this one (:func:`kefu.nlu.encoder.onnx.export_onnx`). Should it fail, the export
    after training tries again and reports the error."""
    if settings.nlu_backend == "torch":
        return None
    from kefu.nlu.encoder.onnx import export_onnx

    def run() -> None:
        try:
            export_onnx(base_dir, int8=settings.nlu_backend == "onnx-int8")
        except Exception:  # noqa: BLE001 - retried (and reported) by ensure_default_model
            log.debug("background ONNX export of %s failed", base_dir, exc_info=True)

    thread = threading.Thread(target=run, name="kefu-onnx-export", daemon=True)
    thread.start()
    return thread
