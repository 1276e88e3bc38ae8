"""What the engine needs from the understanding layer, and the keyword cues it adds.

The intent comes from the trained model (:class:`Understander`: ``parse(text)``). Keyword
cues are a second signal the dialogue uses where the model has little to go on: a bare
"好的" after a confirmation question, "the second one" after a list, "上一个" as a
correction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kefu.nlu.types import ParseResult

if TYPE_CHECKING:
    from kefu.settings import Settings

DEFAULT_MODEL_NAME = "kefu-nlu"  # the same default as `kefu train`


class Understander(Protocol):
    """Anything that parses a customer message (``kefu.nlu`` Parser, or a test double)."""

    def parse(self, text: str) -> ParseResult: ...


class BackgroundUnderstander:
    """Loads a parser in a background thread; :meth:`parse` waits for it.

    The chat prompt appears while torch and the model load; the first message pays
    whatever is left of the loading time.
    """

    def __init__(self, load: Callable[[], Understander]) -> None:
        import threading

        self._parser: Understander | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._parser = load()
            except BaseException as exc:  # re-raised in the caller's thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="kefu-nlu-load", daemon=True)
        self._thread.start()

    def wait(self) -> Understander:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._parser is not None
        return self._parser

    def parse(self, text: str) -> ParseResult:
        return self.wait().parse(text)

    def close(self) -> None:
        """Let a load still running finish: leaving the process while ONNX Runtime or
        torch builds its threads aborts it ("terminate called without an active
        exception")."""
        self._thread.join()


def default_model_dir(settings: Settings) -> Path:
    """Where the default NLU model lives: ``settings.nlu_model`` or ``models/kefu-nlu``."""
    return Path(settings.nlu_model) if settings.nlu_model else settings.models_dir / \
        DEFAULT_MODEL_NAME


def load_understander(model_dir: Path, catalog: Any = None, *,
                      backend: str = "torch") -> Understander:
    """The parser of a trained model directory, with the store's catalog for products;
    ``backend`` is how the encoder runs (see :data:`kefu.nlu.encoder.onnx.BACKENDS`)."""
    from kefu.nlu.classifier import IntentClassifier
    from kefu.nlu.entities.extractor import EntityExtractor
    from kefu.nlu.parser import Parser

    return Parser(IntentClassifier.load(model_dir, backend=backend),
                  EntityExtractor(catalog=catalog))


# -- keyword cues -------------------------------------------------------------------------

#: Without a yes word, the model must be this sure a message means yes before kefu writes.
AFFIRM_CONFIDENCE = 0.9

_AFFIRM_EN = re.compile(
    r"^\s*(y|yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|go ahead|do it|please do|correct|"
    r"right|that'?s right|absolutely|of course|fine|alright|all right|sounds good|"
    r"yes,? please|yes,? go ahead|yes,? confirm|ok,? go ahead)\b[\s!.,]*(please)?[\s!.]*$",
    re.IGNORECASE)
_AFFIRM_ZH = re.compile(r"^\s*(是|是的|对|对的|确认|确定|好|好的|好滴|嗯|嗯嗯|可以|行|没问题|同意|"
                        r"确认取消|确认修改|确认退货|确认换货|确认提交|对的没错|是的确认|好的确认)"
                        r"[\s!！。.，,]*(吧|呀|啊|的)?[\s!！。.]*$")
_DENY_EN = re.compile(r"^\s*(n|no|nope|nah|don'?t|do not|stop|cancel that|never ?mind|not now|"
                      r"no,? thanks?|no thank you|wait)\b", re.IGNORECASE)
_DENY_ZH = re.compile(r"^\s*(不|不是|不要|不用|别|算了|先不|取消吧|等等|不对|否)")


def is_affirm(text: str, intent: str | None = None, confidence: float = 1.0) -> bool:
    """An explicit yes: a yes word, or a short message the model is sure is ``affirm``."""
    stripped = text.strip()
    if _AFFIRM_EN.match(stripped) or _AFFIRM_ZH.match(stripped):
        return True
    return (intent == "affirm" and confidence >= AFFIRM_CONFIDENCE and not is_deny(stripped)
            and len(stripped) <= 40)


_YES_LEAD = re.compile(r"^\s*(yes|yeah|yep|sure|ok|okay|please do|go ahead)\b(?!\s*,?\s*but\b)|"
                       r"^\s*(是的|是|对|好的|好|可以|行|嗯|麻烦)(?!不)", re.IGNORECASE)


def starts_with_yes(text: str) -> bool:
    """"yes, please file it", "是的，帮我申请": a yes that goes on to say more. Enough to
    accept an offer; a write still needs :func:`is_affirm`."""
    return bool(_YES_LEAD.match(text)) and not is_deny(text)


def is_deny(text: str, intent: str | None = None) -> bool:
    stripped = text.strip()
    return bool(_DENY_EN.match(stripped) or _DENY_ZH.match(stripped)) or intent == "deny"


_ORDINALS_EN = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6,
                "last": -1, "latest": -1, "most recent": -1}
_ORDINAL_EN = re.compile(r"\b(the )?(" + "|".join(_ORDINALS_EN) + r")\b( one| order| item)?",
                         re.IGNORECASE)
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "1": 1, "2": 2,
              "3": 3, "4": 4, "5": 5, "6": 6}
_ORDINAL_ZH = re.compile(r"第([一二两三四五六1-6])(个|笔|单|件|项)?")
_BARE_NUMBER = re.compile(r"^\s*(?:no\.?\s*|number\s*|#)?([1-9])\s*[.)]?\s*$", re.IGNORECASE)
_LAST_ZH = re.compile(r"最后一(个|笔|单|件)|最近一(个|笔|单)|最新的")
_PREVIOUS = re.compile(r"上一(个|笔|单|件)|前一(个|笔|单)|另一(个|笔|单)|\b(previous|other|"
                       r"earlier|the one before)\b( one| order)?", re.IGNORECASE)
_THIS = re.compile(r"\b(it|that one|this one|that order|this order|same one|same order)\b|"
                   r"它|这个|那个|刚才那个|这单|那单|这笔|刚才的", re.IGNORECASE)
_ALL = re.compile(r"\b(all|everything|both|all of them|the whole order)\b|全部|都|所有|整单|两件都",
                  re.IGNORECASE)


def ordinal(text: str) -> int | None:
    """1-based position the message points at ("the second one", "第二个", "2"); -1 = last."""
    match = _ORDINAL_EN.search(text)
    if match:
        return _ORDINALS_EN[match.group(2).lower()]
    match = _ORDINAL_ZH.search(text)
    if match:
        return _ZH_DIGITS[match.group(1)]
    if _LAST_ZH.search(text):
        return -1
    match = _BARE_NUMBER.match(text)
    return int(match.group(1)) if match else None


def ordinals(text: str) -> list[int]:
    """Every position the message names, in order ("第二件和第三件" -> [2, 3])."""
    found: list[tuple[int, int]] = []
    for match in _ORDINAL_EN.finditer(text):
        found.append((match.start(), _ORDINALS_EN[match.group(2).lower()]))
    for match in _ORDINAL_ZH.finditer(text):
        found.append((match.start(), _ZH_DIGITS[match.group(1)]))
    if not found:
        single = ordinal(text)
        return [single] if single is not None else []
    return [position for _, position in sorted(found)]


def mentions_order(text: str) -> bool:
    return bool(re.search(r"\border\b|订单|这单|那单|上一单|另一单", text, re.IGNORECASE))


def refers_to_previous(text: str) -> bool:
    """"the other order", "上一个" - the candidate before the one in focus."""
    return bool(_PREVIOUS.search(text))


def refers_above(text: str) -> bool:
    """"上一个", "前一个", "the previous one": the one listed before."""
    return bool(re.search(r"上一|前一|\bprevious\b", text, re.IGNORECASE))


def refers_to_focus(text: str) -> bool:
    """"it", "that one", "它", "刚才那个" - the order or item last talked about."""
    return bool(_THIS.search(text))


def means_all(text: str) -> bool:
    return bool(_ALL.search(text))


_PAYMENT_ID = re.compile(r"\b((?:credit_card|debit_card|gift_card|paypal|alipay|wechat_pay)"
                         r"_\d{5,})\b")
_PAYMENT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gift_card", re.compile(r"gift ?card|礼品卡|购物卡", re.IGNORECASE)),
    ("credit_card", re.compile(r"credit ?card|信用卡|(?<!gift )\bcard\b|visa|mastercard|amex",
                               re.I)),
    ("debit_card", re.compile(r"debit ?card|借记卡|储蓄卡", re.IGNORECASE)),
    ("paypal", re.compile(r"pay ?pal", re.IGNORECASE)),
    ("alipay", re.compile(r"ali ?pay|支付宝", re.IGNORECASE)),
    ("wechat_pay", re.compile(r"we ?chat|微信", re.IGNORECASE)),
    ("original", re.compile(r"original|same (card|method|payment)|原路|原支付|原来的", re.I)),
)


def payment_mentions(text: str) -> tuple[list[str], list[str]]:
    """(payment method ids, payment sources) the message names."""
    ids = _PAYMENT_ID.findall(text)
    sources = [source for source, pattern in _PAYMENT_WORDS if pattern.search(text)]
    if "debit_card" in sources and "credit_card" in sources and not re.search(
            r"credit|信用", text, re.IGNORECASE):
        sources.remove("credit_card")
    return ids, sources


_HUMAN = re.compile(r"\b(human|real person|(live |real )?agent|representative|someone real|"
                    r"operator)\b|人工|真人|转人工|客服人员|活人", re.IGNORECASE)


def asks_for_human(text: str) -> bool:
    """"I want to talk to a human", "转人工"."""
    return bool(_HUMAN.search(text))


_CORRECTION = re.compile(r"^\W*(no|nope|not|actually|sorry|oops|wrong|i meant|i mean)\b|"
                         r"不是|不对|搞错|错了|我是说|应该是|我说的是", re.IGNORECASE)


def is_correction(text: str) -> bool:
    """"no, the other order", "不是这个，是上一个": the customer corrects an answer."""
    return bool(_CORRECTION.search(text))
