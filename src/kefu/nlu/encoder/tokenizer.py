"""Rebuild the XLM-R sentencepiece unigram tokenizer of multilingual-e5-small.

The E5S1 file carries the pieces, their scores and a per-codepoint normalisation map (the
single-codepoint part of sentencepiece's ``nmt_nfkc``). The map equals Unicode NFKC except
for a few dozen codepoints (control characters removed, odd spaces turned into spaces)
and a few dozen that sentencepiece leaves alone although NFKC changes them (``～``
among them, common in Chinese). The normaliser built here is therefore: replace the
exceptions, hide the left-alone codepoints behind private-use stand-ins, NFKC, restore
them, collapse runs of spaces. It gives the same ids as the original ``tokenizer.json``
(checked in tests/nlu/test_encoder.py).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kefu.nlu.encoder.e5s1 import E5Vocabulary

if TYPE_CHECKING:
    from tokenizers import Tokenizer

PRIVATE_USE_START = 0xF0000  # Supplementary Private Use Area-A, stable under NFKC
MODEL_MAX_LENGTH = 512


def _char_class(chars: list[str]) -> str:
    import re

    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _nfkc_changes(nfkc_normalizer: object) -> dict[str, str]:
    """Every codepoint that the tokenizers library's own NFKC changes, with its result.

    One call over all codepoints joined by newlines (a starter, so nothing composes
    across the separator) instead of a million calls.
    """
    chars = [chr(cp) for cp in range(1, 0x110000)
             if not 0xD800 <= cp < 0xE000 and cp not in (0x0A,)
             and unicodedata.category(chr(cp)) not in ("Cn", "Co")]
    out = nfkc_normalizer.normalize_str("\n".join(chars)).split("\n")  # type: ignore[attr-defined]
    if len(out) != len(chars):  # pragma: no cover - would mean NFKC produced a newline
        raise RuntimeError("unexpected NFKC output while building the tokenizer")
    return {c: n for c, n in zip(chars, out, strict=True) if c != n}


def build_normalizer(normalization: dict[str, str]) -> Any:
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    nfkc_changes = _nfkc_changes(nfkc)
    steps: list[object] = []
    # 1. codepoints the map sends elsewhere than NFKC does (grouped by replacement)
    by_output: dict[str, list[str]] = defaultdict(list)
    for char, replacement in normalization.items():
        if nfkc_changes.get(char, char) != replacement:
            by_output[replacement].append(char)
    for replacement, chars in sorted(by_output.items()):
        steps.append(normalizers.Replace(Regex(_char_class(chars)), replacement))
    # 2. codepoints the map leaves alone but NFKC would change: hide, NFKC, restore
    kept = sorted(c for c in nfkc_changes if c not in normalization)
    stand_ins = [chr(PRIVATE_USE_START + i) for i in range(len(kept))]
    steps += [normalizers.Replace(c, s) for c, s in zip(kept, stand_ins, strict=True)]
    steps.append(nfkc)
    steps += [normalizers.Replace(s, c) for c, s in zip(kept, stand_ins, strict=True)]
    # 3. sentencepiece collapses runs of spaces
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def build_tokenizer(vocabulary: E5Vocabulary) -> Tokenizer:
    """A ``tokenizers.Tokenizer`` equal to the XLM-R tokenizer of multilingual-e5-small."""
    from tokenizers import Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(vocabulary.pieces, vocabulary.scores, strict=True))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=vocabulary.unk_id, byte_fallback=False))
    tokenizer.normalizer = build_normalizer(vocabulary.normalization)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocabulary.pieces[vocabulary.bos_id], vocabulary.pieces[vocabulary.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos_id), (eos, vocabulary.eos_id)],
    )
    specials = [vocabulary.pieces[i] for i in
                (vocabulary.bos_id, vocabulary.pad_id, vocabulary.eos_id, vocabulary.unk_id)]
    if "<mask>" in vocabulary.pieces:
        specials.append("<mask>")
    tokenizer.add_special_tokens(specials)
    return tokenizer


def save_tokenizer(vocabulary: E5Vocabulary, directory: Path) -> None:
    """Save so that ``AutoTokenizer.from_pretrained`` loads exactly this tokenizer.

    A generic ``PreTrainedTokenizerFast``: transformers 5's ``XLMRobertaTokenizer`` would
    rebuild its own pipeline from the vocabulary and drop this normaliser.
    """
    from transformers import PreTrainedTokenizerFast

    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(vocabulary),
        bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
        unk_token="<unk>", pad_token="<pad>", mask_token="<mask>",
        model_max_length=MODEL_MAX_LENGTH,
    )
    fast.save_pretrained(str(directory))
