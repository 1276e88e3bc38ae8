"""How recommendations read: items with their reasons, questions, comparisons, price quotes.

The recommender gives reasons as data (:mod:`kefu.recommend.types`); each kind has a
phrase template here, filled with that data only, in the reply language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from kefu.dialogue import wording
from kefu.dialogue.context import Turn
from kefu.dialogue.events import Button
from kefu.recommend.types import Comparison, Recommendation

# Reasons said in a list of items (the rest are for "why this one").
SHORT_REASONS = ("price", "same_product", "matched_options", "bought_with", "profile",
                 "popular")
MAX_SHORT_REASONS = 2


def option_name(key: str, lang: str) -> str:
    from kefu.store.glossary import chinese_option_key

    return chinese_option_key(key) if lang == "zh" else key


def option_value(value: Any, lang: str) -> str:
    from kefu.store.glossary import chinese_option_value

    return chinese_option_value(str(value)) if lang == "zh" else str(value)


def options_text(options: Mapping[str, Any], lang: str) -> str:
    return wording.options_text({k: option_value(v, lang) for k, v in options.items()}, lang)


def name_of(item: Mapping[str, Any] | Recommendation, lang: str) -> str:
    if isinstance(item, Recommendation):
        return (item.name_zh or item.name) if lang == "zh" else item.name
    return str((item.get("name_zh") or item.get("name")) if lang == "zh" else item.get("name"))


def _money(turn: Turn, value: Any) -> str:
    return turn.money(float(Decimal(str(value))))


def reason_phrases(turn: Turn, rec: Recommendation, *, short: bool = False) -> list[str]:
    """Each reason of ``rec`` as a phrase; ``short``: the first few of SHORT_REASONS."""
    phrases = []
    reasons = rec.reasons
    if short:
        reasons = tuple(r for kind in SHORT_REASONS for r in reasons if r.kind == kind)
    for reason in reasons:
        phrase = _reason_phrase(turn, reason.kind, reason.data)
        if phrase:
            phrases.append(phrase)
    return phrases[:MAX_SHORT_REASONS + 1] if short else phrases


def _reason_phrase(turn: Turn, kind: str, data: Mapping[str, Any]) -> str | None:
    lang = turn.lang
    if kind == "price":
        difference = data.get("difference")
        if difference is not None and Decimal(str(difference)) != 0:
            key = "why_more_than_paid" if Decimal(str(difference)) > 0 else "why_less_than_paid"
            return turn.render(key, difference=_money(turn, abs(Decimal(str(difference)))))
        if data.get("budget_max") is not None:
            return turn.render("why_within_budget", budget=_money(turn, data["budget_max"]))
        return None  # the price is on the item's line already
    if kind == "matched_options":
        options = data.get("options") or {}
        named = [f"{option_name(k, lang)}{'' if lang == 'zh' else ' '}{option_value(v, lang)}"
                 for k, v in options.items()]
        return turn.render("why_options", options=wording.join(named, lang)) \
            if options else None
    if kind == "matched_words":
        return turn.render("why_words", words=" ".join(data.get("words") or ()))
    if kind == "category":
        return turn.render("why_category",
                           category=data["name_zh"] if lang == "zh" else data["name_en"])
    if kind == "brand":
        return turn.render("why_brand", brand=data["brand"])
    if kind in ("same_product", "similar_to", "bought_with"):
        # a same-product reason names the bought item only when it came from their orders
        key = {"same_product": "why_same_product" if data.get("item_id") else "why_variant",
               "similar_to": "why_similar", "bought_with": "why_bought_with"}[kind]
        return turn.render(key, name=name_of(data, lang))
    if kind == "profile":
        what = [_category_name(turn, c) for c in data.get("categories") or ()]
        what += list(data.get("brands") or ())
        return turn.render("why_profile", what=wording.join(what, lang)) if what else None
    if kind == "popular":
        customers = int(data["customers"])
        return turn.render("why_popular" if customers > 1 else "why_popular_one",
                           customers=customers)
    return None


def _category_name(turn: Turn, category_id: str) -> str:
    from kefu.dialogue.flows.recommend import recommender

    for product in recommender(turn).products:
        if product.category_id == category_id:
            return product.category_zh if turn.lang == "zh" else product.category_en
    return category_id


def say_items(turn: Turn, shown: Sequence[Recommendation], intro: str = "rec_intro",
              **fields: Any) -> None:
    """The items, numbered, each with its price, options and a reason or two."""
    lines = [turn.render(intro, **fields)]
    for n, rec in enumerate(shown, start=1):
        why = reason_phrases(turn, rec, short=True)
        sep = "；" if turn.lang == "zh" else "; "
        lines.append(turn.render("rec_line", n=n, name=name_of(rec, turn.lang),
                                 options=options_text(rec.options, turn.lang),
                                 price=_money(turn, rec.price),
                                 why=(sep.join(why) + ("。" if turn.lang == "zh" else "."))
                                 if why else ""))
    lines.append(turn.render("rec_outro"))
    buttons = _follow_up_buttons(turn, len(shown))
    turn.say_text("\n".join(line.rstrip() for line in lines), buttons)


def _follow_up_buttons(turn: Turn, count: int) -> tuple[Button, ...]:
    if turn.lang == "zh":
        buttons = [Button("便宜点的", "便宜点的"), Button("还有别的吗", "还有别的吗")]
        if count >= 2:
            buttons.insert(1, Button("比较前两个", "比较一下前两个"))
        return tuple(buttons)
    buttons = [Button("Cheaper", "something cheaper"), Button("Show more", "show me more")]
    if count >= 2:
        buttons.insert(1, Button("Compare 1 and 2", "compare the first two"))
    return tuple(buttons)


def say_why(turn: Turn, rec: Recommendation) -> None:
    phrases = reason_phrases(turn, rec) or [turn.render("why_price_only",
                                                        price=_money(turn, rec.price))]
    sep = "；" if turn.lang == "zh" else "; "
    turn.say("rec_why", name=name_of(rec, turn.lang), reasons=sep.join(phrases))


def say_comparison(turn: Turn, comparison: Comparison) -> None:
    lang = turn.lang
    first, second = comparison.first, comparison.second
    parts = []
    if comparison.cheaper is None:
        parts.append(turn.render("cmp_same_price", price=_money(turn, first.price)))
    else:
        cheaper = first if comparison.price_difference > 0 else second
        parts.append(turn.render("cmp_cheaper", name=name_of(cheaper, lang),
                                 difference=_money(turn, abs(comparison.price_difference))))
    if comparison.same:
        parts.append(turn.render("cmp_same", options=options_text(comparison.same, lang)))
    for diff in comparison.different:
        if diff.attribute == "product":
            continue
        parts.append(turn.render(
            "cmp_differ", option=option_name(diff.attribute, lang),
            first=option_value(diff.first, lang) if diff.first is not None else "-",
            second=option_value(diff.second, lang) if diff.second is not None else "-"))
    sep = "；" if lang == "zh" else "; "
    turn.say("rec_compare", first=name_of(first, lang), second=name_of(second, lang),
             details=sep.join(parts))


def say_quote(turn: Turn, rec: Recommendation, quote: Mapping[str, Any]) -> None:
    """The price of one shown item now: promotions, and the best coupon of the customer."""
    lang = turn.lang
    promotions = [p["name_zh"] or p["name_en"] if lang == "zh" else p["name_en"]
                  for p in quote.get("promotions") or ()]
    key = "rec_quote_promotion" if promotions else "rec_quote"
    lines = [turn.render(key, name=name_of(rec, lang), options=options_text(rec.options, lang),
                         price=_money(turn, quote["subtotal"]),
                         total=_money(turn, quote["total"]),
                         promotions=wording.join(promotions, lang))]
    coupon = quote.get("suggested_coupon")
    if coupon:
        total = Decimal(str(quote["total"])) - Decimal(str(coupon["discount"]))
        lines.append(turn.render("rec_quote_coupon",
                                 coupon=coupon["name_zh"] or coupon["name_en"] if lang == "zh"
                                 else coupon["name_en"],
                                 discount=_money(turn, coupon["discount"]),
                                 total=_money(turn, total)))
    elif turn.customer_id is not None:
        lines.append(turn.render("rec_quote_no_coupon"))
    else:
        lines.append(turn.render("rec_quote_verify"))
    lines.append(turn.render("rec_quote_order", item_id=rec.item_id))
    turn.say_text("\n".join(lines))


def question_buttons(turn: Turn, choices: Sequence[tuple[str, str]]) -> tuple[Button, ...]:
    """(title, payload) pairs as buttons, at most five."""
    return tuple(Button(title, payload) for title, payload in choices[:5])
