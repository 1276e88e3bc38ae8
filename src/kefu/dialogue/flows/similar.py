""""Like the keyboard I bought, but with clicky switches" / "和我买的那个键盘差不多但是青轴的".

The verified customer's purchase the message names is found in their orders; the options
the message asks to change are read against that product's own options (English, Chinese,
or a common word for a value: clicky switches are the demo shop's blue switches); other
options of the same product come first, then similar products with those options.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue.context import Turn
from kefu.dialogue.flows import recommend, verification
from kefu.dialogue.flows import recommend_text as text
from kefu.errors import KefuError
from kefu.recommend.conversation import recommendation_from_json
from kefu.recommend.types import Need

#: The slot that keeps a request made before verification, to answer once verified.
WAITING_SLOT = "recommend_waiting"

# Words customers use for a value that stores name otherwise (tried only when the
# product has no value spelled like the word itself, as tau-bench's "clicky").
VALUE_WORDS: dict[str, tuple[str, ...]] = {
    "blue switch": ("clicky", "click", "青轴"),
    "red switch": ("linear", "红轴"),
    "brown switch": ("tactile", "茶轴"),
}


def like_purchase(turn: Turn) -> None:
    if turn.customer_id is None:
        turn.say("rec_verify_history")
        verification.ask(turn)
        turn.set_slot(WAITING_SLOT, {"kind": "similar", "text": turn.text[:300]})
        return
    answer(turn, turn.text)


def resume(turn: Turn) -> bool:
    """After verification: answer the request that waited for it; False when none did."""
    waiting = turn.slot(WAITING_SLOT)
    if not isinstance(waiting, dict) or turn.customer_id is None:
        return False
    turn.set_slot(WAITING_SLOT, None)
    if waiting.get("kind") == "similar":
        answer(turn, str(waiting.get("text") or ""))
        return True
    from kefu.dialogue.flows import preferences

    return preferences.resume(turn, str(waiting.get("kind")))


def answer(turn: Turn, said: str) -> None:
    from kefu.recommend.similar import find_purchase

    rec = recommend.recommender(turn)
    customer_id = turn.customer_id
    assert customer_id is not None
    bought = rec.history(customer_id)
    named = rec.named_products(" ".join(e.text or e.value
                                        for e in turn.parse.entities_of("product")))
    if named and turn.text == said:
        candidates = [line for line in bought if line.product_id in named]
        line = candidates[-1] if candidates else None
    else:
        line = find_purchase(rec, customer_id, said)
    if line is None:
        turn.say("rec_no_purchase")
        return
    product = rec.product(line.product_id)
    changed = _changed_options(turn, said, product, line.options)
    try:
        result = turn.read("similar_to_purchase", user_id=customer_id,
                           product_or_item_id=line.item_id, changed_options=changed,
                           limit=recommend.SHOWN)
    except KefuError:
        result = {"items": []}
    found = [recommendation_from_json(item) for item in result["items"]]
    name = (product.name_zh or product.name) if turn.lang == "zh" else product.name
    if not found:
        turn.say("rec_no_similar", name=name)
        return
    need = Need(options=changed, reference=product.product_id,
                exclude=frozenset({product.product_id}))
    text.say_items(turn, found, "rec_similar_intro", name=name,
                   options=text.options_text(line.options, turn.lang))
    recommend.save_shown(turn, need, found)


def _changed_options(turn: Turn, said: str, product: Any,
                     bought: dict[str, Any]) -> dict[str, str]:
    """Option values of ``product`` the message asks for that differ from what was bought."""
    folded = said.casefold()
    mentioned = {e.value.casefold() for e in turn.parse.entities_of("option")} \
        if turn.text == said else set()
    changed: dict[str, str] = {}
    values: dict[str, set[str]] = {}
    for variant in product.variants:
        for key, value in variant.options.items():
            values.setdefault(str(key), set()).add(str(value))
    for key, options in values.items():
        have = {v.casefold() for v in options}
        for value in sorted(options):
            words = {value.casefold(), text.option_value(value, "zh")}
            words |= {w for w in VALUE_WORDS.get(value.casefold(), ())
                      if w.casefold() not in have}
            asked = value.casefold() in mentioned or any(_says(folded, w) for w in words)
            if asked and str(bought.get(key, "")).casefold() != value.casefold():
                changed[key] = value
    return changed


def _says(folded: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"\b{re.escape(word.casefold())}\b", folded) is not None
    return word in folded
