"""Recommending products in the conversation.

kefu collects the need over turns (what, budget, options, brand), asks one clarifying
question at a time while too many products fit (at most :data:`MAX_QUESTIONS`), then shows
up to three available items with a reason or two each. Follow-ups refine what was shown:
cheaper, another option, a bigger one, more, compare, why, and the price with the
customer's coupons. "Like the keyboard I bought, but ..." looks at the verified customer's
orders. The need, the items shown and the open question live in the
:data:`RECOMMEND_SLOT` slot as JSON, so a restarted kefu carries on.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kefu.dialogue.context import Turn
from kefu.dialogue.flows import recommend_text as text
from kefu.dialogue.understanding import ordinal, ordinals
from kefu.errors import InvalidInput, KefuError
from kefu.recommend.conversation import (
    Feedback,
    need_from_json,
    need_to_json,
    recommendation_from_json,
    recommendation_to_json,
    refine,
)
from kefu.recommend.refine import compare
from kefu.recommend.types import Need, Recommendation

if TYPE_CHECKING:
    from kefu.recommend.engine import Recommender

RECOMMEND_SLOT = "recommendation"
MAX_QUESTIONS = 2
SHOWN = 3

_CHEAPER = re.compile(r"\b(cheaper|less expensive|more affordable|lower price|too expensive|"
                      r"too pricey)\b|便宜|太贵|实惠|价格低", re.IGNORECASE)
_MORE = re.compile(r"\b(show me more|more options|any others?|other options|something else|"
                   r"what else|anything else like|more like (this|these))\b|"
                   r"还有别的|还有其他|换一批|再推荐|别的款|其他款|更多", re.IGNORECASE)
_BIGGER = re.compile(r"\b(bigger|larger|a size up|more (capacity|storage))\b|"
                     r"大一[点号些码]|更大|大点|容量大", re.IGNORECASE)
_SMALLER = re.compile(r"\b(smaller|a size down|more compact)\b|小一[点号些码]|更小|小点",
                      re.IGNORECASE)
_COMPARE = re.compile(r"\b(compare|comparison|difference between|versus|vs\.?)\b|"
                      r"比较|对比|区别|有什么不同|哪个好", re.IGNORECASE)
_WHY = re.compile(r"\bwhy\b|为什么|为啥|理由", re.IGNORECASE)
_PRICE = re.compile(r"\b(coupons?|how much|price|cost|total|discount|add (it|that|this)|"
                    r"buy (it|that|this)|i'?ll take)\b|优惠券|用券|多少钱|价格|到手价|折扣|"
                    r"买这个|要这个|加入购物车", re.IGNORECASE)
_ITEM_REFERENCE = re.compile(r"\b(it|this one|that one|this|that|the (first|second|third)"
                             r"( one)?)\b|这个|那个|这款|那款|第[一二三123]", re.IGNORECASE)
_SIMILAR = re.compile(r"\b(like|similar to|same as)\b.{0,40}\b(i|we) (bought|ordered|got|"
                      r"have)\b|\b(i|we) (bought|ordered)\b.{0,60}\bbut\b|"
                      r"(和|跟|像)我(之前|上次)?买的|我(之前|上次)?买的那[个款件].{0,12}"
                      r"(差不多|一样|类似|但)", re.IGNORECASE)
_ANY = re.compile(r"\b(any|anything|doesn'?t matter|don'?t mind|no preference|whatever)\b|"
                  r"随便|都可以|都行|无所谓|没有要求", re.IGNORECASE)
# Requests of another kind: a cue word in them ("why was my order cancelled?") is no
# follow-up to the items shown.
_OTHER_REQUESTS = frozenset({"order_status", "cancel_order", "modify_order_address",
                             "modify_order_items", "modify_order_payment",
                             "change_default_address", "return_item", "exchange_item",
                             "refund_status", "warranty_repair", "delivery_problem", "coupons",
                             "shipping_info", "invoice", "payment_problem", "account_login",
                             "complaint", "request_human"})
_TWO = re.compile(r"\b(first two|both|these two|top two)\b|前两|两个|这两", re.IGNORECASE)


def recommender(turn: Turn) -> Recommender:
    """The store's fitted recommender (fitted once, with the NLU model's encoder)."""
    from kefu.recommend.tools import recommender_for

    encoder = turn.services.text_encoder() if turn.services.text_encoder else None
    return recommender_for(turn.services.store, encoder)


# -- state ------------------------------------------------------------------------------

def _state(turn: Turn) -> dict[str, Any] | None:
    value = turn.slot(RECOMMEND_SLOT)
    return dict(value) if isinstance(value, dict) else None


def _shown(state: dict[str, Any] | None) -> list[Recommendation]:
    return [recommendation_from_json(r) for r in (state or {}).get("shown") or ()]


def _save(turn: Turn, need: Need, shown: list[Recommendation], *, asked: Any = None,
          questions: int = 0, focus: int = 0) -> None:
    turn.set_slot(RECOMMEND_SLOT, {
        "need": need_to_json(need), "shown": [recommendation_to_json(r) for r in shown],
        "asked": asked, "questions": questions, "focus": focus})


def save_shown(turn: Turn, need: Need, shown: list[Recommendation]) -> None:
    """Remember items shown by another flow (similar to a purchase) for follow-ups."""
    _save(turn, need, shown)


def about_shown(turn: Turn) -> bool:
    """The message is about the items shown ("the first one with my coupon", "cheaper",
    "compare them"), so it is no general question for the knowledge base."""
    state = _state(turn)
    if not state or not state.get("shown") or turn.parse.entities_of("order_id"):
        return False
    cues = (_ITEM_REFERENCE, _CHEAPER, _BIGGER, _SMALLER, _MORE, _COMPARE)
    return any(cue.search(turn.text) for cue in cues) or ordinal(turn.text) is not None


def active(turn: Turn) -> bool:
    """A recommendation is under way: items were shown, or a question is open."""
    state = _state(turn)
    return bool(state and (state.get("shown") or state.get("asked")))


# -- entry points -----------------------------------------------------------------------

def start(turn: Turn) -> None:
    """A request for a recommendation ("a keyboard under 500", "想买个机械键盘")."""
    if _SIMILAR.search(turn.text):
        from kefu.dialogue.flows import similar

        similar.like_purchase(turn)
        return
    state = _state(turn)
    previous = need_from_json(state["need"]) if state and not _names_a_thing(turn) else None
    need = _need_from(turn, previous)
    if need.is_empty:
        turn.say("rec_what")
        _save(turn, need, [], asked={"kind": "what"}, questions=0)
        return
    _clarify_or_recommend(turn, need, questions=0)


def follow_up(turn: Turn) -> bool:
    """A message about the items shown or the question asked; False when it is not."""
    state = _state(turn)
    if state is None or turn.parse.entities_of("order_id"):
        return False
    shown = _shown(state)
    need = need_from_json(state["need"])
    # of another request's kind, only "the second one with my coupon" is about the items
    if turn.intent in _OTHER_REQUESTS and turn.confidence >= 0.5 and not (
            shown and turn.intent == "coupons" and _ITEM_REFERENCE.search(turn.text)):
        return False
    if _SIMILAR.search(turn.text):
        from kefu.dialogue.flows import similar

        similar.like_purchase(turn)
        return True
    if state.get("asked"):
        if _answer(turn, state, need):
            return True
        if not shown and _feedback(turn, 0) is not None and need.is_empty is False:
            # "cheaper" / "show me" instead of an answer: show what fits so far
            _clarify_or_recommend(turn, need, questions=MAX_QUESTIONS)
            return True
        if not shown:
            return False
    if not shown:
        return False
    which = _which(turn, shown, int(state.get("focus") or 0))
    if _COMPARE.search(turn.text) and len(shown) >= 2:
        first, second = _pair(turn, shown)
        text.say_comparison(turn, compare(shown[first], shown[second]))
        _save(turn, need, shown, focus=first)
        return True
    if _WHY.search(turn.text):
        text.say_why(turn, shown[which])
        _save(turn, need, shown, focus=which)
        return True
    if _PRICE.search(turn.text) and (_ITEM_REFERENCE.search(turn.text) or len(shown) == 1
                                     or turn.intent in ("price", "coupons")):
        _quote(turn, shown[which])
        _save(turn, need, shown, focus=which)
        return True
    feedback = _feedback(turn, which)
    if feedback is None:
        if _names_a_thing(turn) or turn.parse.entities_of("money"):
            _clarify_or_recommend(turn, _need_from(turn, need), questions=MAX_QUESTIONS)
            return True
        return False
    try:
        new_need = refine(need, shown, feedback)
    except InvalidInput:
        item = shown[which]
        if feedback.kind in ("bigger", "smaller"):
            turn.say("rec_no_sizes", name=text.name_of(item, turn.lang))
        else:
            turn.say("rec_option_unknown", value=feedback.value or "")
        return True
    found = _recommend(turn, new_need)
    if not found:
        turn.say({"cheaper": "rec_no_cheaper", "more": "rec_no_more"}.get(feedback.kind,
                                                                           "rec_none"))
        return True
    _show(turn, new_need, found)
    return True


# -- understanding the need -------------------------------------------------------------

def _names_a_thing(turn: Turn) -> bool:
    return bool(turn.parse.entities_of("product"))


def _need_from(turn: Turn, previous: Need | None) -> Need:
    """The need after this message: products named, options, budget, brand, category."""
    from kefu.recommend.conversation import need_from_entities

    rec = recommender(turn)
    entities = []
    for entity in turn.parse.entities:
        if entity.type == "product" and entity.value.isdigit():
            # the catalog matcher gives a product id: search by what was said instead
            entities.append(_Said("product", entity.text or entity.value))
        elif entity.type in ("product", "option", "money"):
            entities.append(_Said(entity.type, entity.value))
    need = need_from_entities(entities, previous)
    named = turn.parse.entities_of("product")
    products = rec.named_products(need.query) if named else frozenset()
    category = _category_in(turn, need.query if named else turn.text)
    # "shoes" is the category; "running shoes" the products named so
    if category is not None and (not named or not products
                                 or need.query.casefold() in category[1]):
        need = need.but(category=category[0], query="" if named else need.query,
                        products=frozenset())
    elif named:
        need = need.but(products=products)
    brand = _brand_in(rec, turn.text)
    return need.but(brand=brand) if brand else need


class _Said:
    """An entity as :func:`need_from_entities` reads it."""

    def __init__(self, type_: str, value: str) -> None:
        self.type, self.value = type_, value


# Everyday words for a category, where a customer would not say the shop's name for it
# ("一双鞋", not "鞋靴"): word -> the category's name, in either language.
CATEGORY_WORDS = {"鞋": "鞋靴", "衣服": "服装", "书": "图书", "家电": "家用电器",
                  "护肤": "美妆个护", "化妆品": "美妆个护", "clothes": "clothing"}


def _category_in(turn: Turn, said: str) -> tuple[str, set[str]] | None:
    """(category id, its names) that ``said`` names: its id, English or Chinese name, or
    a part of one ("phones" of "Phones & Accessories", "厨房" of "厨房用品")."""
    folded = said.casefold()
    aliases = {name for word, name in CATEGORY_WORDS.items()
               if (word in said if not word.isascii() else re.search(rf"\b{word}\b", folded))}
    for product in recommender(turn).products:
        if not product.category_id:
            continue
        names = {product.category_id.replace("_", " "), product.category_en.casefold(),
                 product.category_zh}
        names |= {p.strip() for n in list(names) for p in re.split(r"&|及|and", n) if p.strip()}
        names |= {product.category_zh[:2]} if len(product.category_zh) == 4 else set()
        if aliases & names:
            return product.category_id, names
        for name in names:
            latin = name.isascii()
            if (latin and re.search(rf"\b{re.escape(name)}\b", folded)) or \
                    (not latin and name in said):
                return product.category_id, names
    return None


def _brand_in(rec: Recommender, said: str) -> str | None:
    folded = said.casefold()
    for product in rec.products:
        brand = (product.brand or "").casefold()
        if len(brand) >= 3 and re.search(rf"\b{re.escape(brand)}\b", folded):
            return product.brand
    return None


# -- asking and showing -----------------------------------------------------------------

def _clarify_or_recommend(turn: Turn, need: Need, *, questions: int) -> None:
    rec = recommender(turn)
    question = rec.clarify(need) if questions < MAX_QUESTIONS else None
    if question is None or (question.kind == "category" and (need.products or need.query)
                            and questions > 0):
        found = _recommend(turn, need)
        if not found:  # the conversation keeps what it had, to loosen or go on from
            turn.say("rec_none")
            return
        _show(turn, need, found)
        return
    asked: dict[str, Any] = {"kind": question.kind, "key": question.key,
                             "values": _in_order([v for v, _ in question.values][:8]),
                             "bounds": [str(b) for b in question.bounds]}
    if question.kind == "category":
        names = {p.category_id: (p.category_zh if turn.lang == "zh" else p.category_en)
                 for p in rec.products}
        choices = [names.get(v, v) for v, _ in question.values[:6]]
        turn.say("rec_ask_category", text.question_buttons(turn, [(c, c) for c in choices]),
                 choices=", ".join(choices) if turn.lang == "en" else "、".join(choices))
    elif question.kind == "budget":
        low, high = (turn.money(float(b)) for b in question.bounds)
        turn.say("rec_ask_budget", matching=question.matching, low=low, high=high)
    else:
        values = [text.option_value(v, turn.lang) for v in asked["values"][:6]]
        turn.say("rec_ask_option", text.question_buttons(turn, [(v, v) for v in values]),
                 matching=question.matching, option=text.option_name(question.key or "",
                                                                     turn.lang),
                 choices=", ".join(values) if turn.lang == "en" else "、".join(values))
    _save(turn, need, [], asked=asked, questions=questions + 1)


def _in_order(values: list[str]) -> list[str]:
    """Sizes and capacities smallest first; other values as they came (most common first)."""
    from kefu.recommend.ordering import option_rank

    ranks = {v: option_rank(v) for v in values}
    if len({r[0] if r else None for r in ranks.values()}) == 1 and None not in ranks.values():
        return sorted(values, key=lambda v: (ranks[v] or ("", 0.0))[1])
    return values


def _answer(turn: Turn, state: dict[str, Any], need: Need) -> bool:
    """The answer to the open question; False when the message is not one."""
    asked, questions = state["asked"], int(state.get("questions") or 1)
    said = turn.text.casefold()
    new = None
    if _ANY.search(turn.text):
        new = need
        questions = MAX_QUESTIONS
    elif asked["kind"] == "budget":
        new = _budget_answer(turn, asked, need)
    elif asked["kind"] == "category":
        category = _category_in(turn, turn.text)
        if category is not None:
            new = need.but(category=category[0])
    elif asked["kind"] == "what":
        new = _need_from(turn, need)
        if new == need:
            return False
    else:
        key = str(asked["key"])
        for value in asked["values"]:
            if value.casefold() in said or text.option_value(value, "zh") in turn.text:
                new = need.but(options={**need.options, key: value})
                break
    if new is None and (turn.parse.entities_of("option") or turn.parse.entities_of("money")
                        or _names_a_thing(turn)):
        new = _need_from(turn, need)
    if new is None:
        return False
    _clarify_or_recommend(turn, new, questions=questions)
    return True


def _budget_answer(turn: Turn, asked: dict[str, Any], need: Need) -> Need | None:
    money = turn.parse.entities_of("money")
    if money:
        return _need_from(turn, need)
    low, high = (Decimal(b) for b in asked["bounds"])
    band = ordinal(turn.text)
    if band is None:
        words = turn.text.casefold()
        if re.search(r"\b(low|cheap|budget|lowest)\b|便宜|低|第一", words):
            band = 1
        elif re.search(r"\b(mid|middle|medium)\b|中", words):
            band = 2
        elif re.search(r"\b(high|premium|expensive|best|top)\b|高|贵|最好", words):
            band = 3
    if band == 1:
        return need.but(budget_max=low)
    if band == 2:
        return need.but(budget_min=low, budget_max=high)
    if band in (3, -1):
        return need.but(budget_min=high)
    return None


def _recommend(turn: Turn, need: Need) -> list[Recommendation]:
    args: dict[str, Any] = {"limit": SHOWN}
    if need.query:
        args["query"] = need.query
    if need.category:
        args["category"] = need.category
    if need.budget_min is not None:
        args["budget_min"] = str(need.budget_min)
    if need.budget_max is not None:
        args["budget_max"] = str(need.budget_max)
    for arg, value in (("options", need.options), ("larger_than", need.above),
                       ("smaller_than", need.below)):
        if value:
            args[arg] = dict(value)
    if need.brand:
        args["brand"] = need.brand
    if need.exclude:
        args["exclude_product_ids"] = sorted(need.exclude)
    if need.products:
        args["product_ids"] = sorted(need.products)
    if need.reference:
        args["like_product_id"] = need.reference
    if turn.customer_id is not None:  # history personalises only a verified customer's
        args["user_id"] = turn.customer_id
    recommender(turn)  # fitted with the NLU encoder before the tool asks for it
    try:
        result = turn.read("recommend_products", **args)
    except KefuError:
        return []
    return [recommendation_from_json(item) for item in result["items"]]


def _show(turn: Turn, need: Need, found: list[Recommendation], intro: str = "rec_intro",
          **fields: Any) -> None:
    text.say_items(turn, found, intro, **fields)
    _save(turn, need, found)


# -- follow-ups -------------------------------------------------------------------------

def _which(turn: Turn, shown: list[Recommendation], focus: int) -> int:
    position = ordinal(turn.text)
    if position is None:
        return min(focus, len(shown) - 1)
    index = len(shown) - 1 if position == -1 else position - 1
    return index if 0 <= index < len(shown) else min(focus, len(shown) - 1)


def _pair(turn: Turn, shown: list[Recommendation]) -> tuple[int, int]:
    named = [p - 1 if p > 0 else len(shown) - 1 for p in ordinals(turn.text)]
    named = [i for i in named if 0 <= i < len(shown)]
    if len(named) >= 2 and not _TWO.search(turn.text):
        return named[0], named[1]
    return 0, 1


def _feedback(turn: Turn, which: int) -> Feedback | None:
    if _CHEAPER.search(turn.text):
        return Feedback("cheaper")
    if _BIGGER.search(turn.text):
        return Feedback("bigger", which=which)
    if _SMALLER.search(turn.text):
        return Feedback("smaller", which=which)
    if _MORE.search(turn.text):
        return Feedback("more")
    options = turn.parse.entities_of("option")
    if options and not _names_a_thing(turn):
        return Feedback("option", value=options[0].value)
    return None


def _quote(turn: Turn, item: Recommendation) -> None:
    args: dict[str, Any] = {"item_ids": [item.item_id]}
    if turn.customer_id is not None:
        args["user_id"] = turn.customer_id
    try:
        quote = turn.read("price_cart", **args)
    except KefuError:
        turn.say("rec_sold_out", name=text.name_of(item, turn.lang))
        return
    text.say_quote(turn, item, quote)
