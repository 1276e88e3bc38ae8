"""The customer's preferences in the conversation: remember (only after they say yes),
show what kefu knows, forget.

"Remember that I like black" / "记住我的偏好" proposes what to remember and waits for the
customer's consent: the yes is the consent, and only then is anything stored. "What do
you know about me" / "我的偏好" shows the profile derived from the orders (never stored)
and what is remembered. "Forget my preferences" / "删除我的偏好" deletes every remembered
preference after a yes. All of it needs a verified customer.
"""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue import wording
from kefu.dialogue.context import Turn
from kefu.dialogue.flows import recommend_text as text
from kefu.dialogue.flows import verification
from kefu.dialogue.state import clear_confirmation, request_confirmation
from kefu.dialogue.understanding import is_affirm, is_deny
from kefu.errors import KefuError

#: Marks a pending confirmation as this flow's (``pending["flow"]``).
FLOW = "preferences"

_FORGET = re.compile(r"\b(forget|delete|erase|remove|clear|wipe)\b.{0,30}\b(preferences?|"
                     r"profile|what you (know|remember)|my data)\b|"
                     r"(删除|忘记|忘掉|清除|清空|删掉).{0,6}(偏好|喜好|记住的)", re.IGNORECASE)
_REMEMBER = re.compile(r"\b(remember|save|keep in mind|note)\b.{0,20}\b(i like|i prefer|i love|"
                       r"i wear|my|that)\b|\bremember my\b|"
                       r"(记住|记下|记一下|保存).{0,8}(偏好|喜好|喜欢|尺码|码数|颜色|预算|品牌)",
                       re.IGNORECASE)
_SHOW = re.compile(r"\bwhat do you know about me\b|\b(show|see|view|what are)\b.{0,10}\bmy "
                   r"(preferences|profile)\b|\bmy preferences\b|\bwhat have you (saved|"
                   r"remembered|stored)\b|我的偏好|我的喜好|你记住了我什么|你知道我什么|"
                   r"你了解我什么|查看.{0,4}偏好", re.IGNORECASE)


def asked_for(turn: Turn) -> str | None:
    """"forget", "remember" or "show" when the message asks that of the preferences."""
    if _FORGET.search(turn.text):
        return "forget"
    if _REMEMBER.search(turn.text):
        return "remember"
    if _SHOW.search(turn.text):
        return "show"
    return None


def handle(turn: Turn) -> bool:
    """Answer a request about the preferences; False when the message is not one."""
    kind = asked_for(turn)
    if kind is None:
        return False
    if turn.customer_id is None:
        from kefu.dialogue.flows.similar import WAITING_SLOT

        turn.say("prefs_verify")
        verification.ask(turn)
        if kind != "remember":  # what to remember is in this message: ask again after
            turn.set_slot(WAITING_SLOT, {"kind": kind})
        return True
    resume(turn, kind)
    return True


def resume(turn: Turn, kind: str) -> bool:
    if kind == "show":
        _show(turn)
    elif kind == "forget":
        _propose_forget(turn)
    elif kind == "remember":
        _propose_remember(turn)
    else:
        return False
    return True


def _profile(turn: Turn) -> dict[str, Any]:
    assert turn.customer_id is not None
    return turn.read("show_preferences", user_id=turn.customer_id)  # type: ignore[no-any-return]


def _stated_text(turn: Turn, stated: dict[str, Any]) -> str:
    colon = "：" if turn.lang == "zh" else ": "
    parts = [f"{text.option_name(k, turn.lang)}{colon}{text.option_value(v, turn.lang)}"
             for k, v in (stated.get("options") or {}).items()]
    parts += list(stated.get("brands") or ())
    parts += [_category(turn, c) for c in stated.get("categories") or ()]
    if stated.get("budget_max") is not None:
        parts.append(turn.render("prefs_budget", budget=turn.money(float(stated["budget_max"]))))
    return wording.join(parts, turn.lang)


def _category(turn: Turn, category_id: str) -> str:
    from kefu.dialogue.flows.recommend import recommender

    for product in recommender(turn).products:
        if product.category_id == category_id:
            return product.category_zh if turn.lang == "zh" else product.category_en
    return category_id


def _show(turn: Turn) -> None:
    profile = _profile(turn)
    lines = []
    if profile["orders"]:
        categories = [_category(turn, c) for c, _ in profile["categories"][:3]]
        brands = [b for b, _ in profile["brands"][:3]]
        sizes = [f"{text.option_name(k, turn.lang)} {'/'.join(_size(x) for x in v[:2])}"
                 for k, v in profile["options"].items() if k in ("size", "shoe size")]
        lines.append(turn.render(
            "prefs_from_orders", orders=profile["orders"],
            categories=wording.join(categories, turn.lang) or "-",
            brands=wording.join(brands, turn.lang) or "-",
            low=turn.money(float(profile["price_min"])),
            high=turn.money(float(profile["price_max"])),
            sizes=(", " if turn.lang == "en" else "，").join(sizes) or "-"))
    else:
        lines.append(turn.render("prefs_no_orders"))
    stated = profile.get("stated") or {}
    remembered = _stated_text(turn, stated)
    if profile.get("consented_at") and remembered:
        lines.append(turn.render("prefs_remembered_list", stated=remembered,
                                 since=wording.day(profile["consented_at"], turn.lang)))
    else:
        lines.append(turn.render("prefs_nothing_remembered"))
    turn.say_text("\n".join(lines))


def _size(value: str) -> str:
    """Sizes are compared folded; "m" reads as "M"."""
    return value.upper() if value.isalpha() and len(value) <= 3 else value


def _wanted(turn: Turn) -> dict[str, Any]:
    """What the message (or, failing that, the current recommendation's need) asks to
    remember, as arguments of remember_customer_preferences."""
    from kefu.dialogue.flows import recommend
    from kefu.recommend.refine import infer_option_key

    options: dict[str, str] = {}
    for entity in turn.parse.entities_of("option"):
        key = infer_option_key(entity.value)
        if key is not None:
            options[key] = entity.value
    brands = []
    rec = recommend.recommender(turn)
    for brand in sorted({p.brand for p in rec.products if p.brand}):
        if re.search(rf"\b{re.escape(brand.casefold())}\b", turn.text.casefold()):
            brands.append(brand)
    args: dict[str, Any] = {}
    money = [e.value for e in turn.parse.entities_of("money") if e.value.startswith("<=")]
    if money:
        args["budget_max"] = money[0][2:]
    if not (options or brands or money):
        state = turn.slot(recommend.RECOMMEND_SLOT)
        need = (state or {}).get("need") if isinstance(state, dict) else None
        if need:
            options = dict(need.get("options") or {})
            brands = [need["brand"]] if need.get("brand") else []
            if need.get("budget_max"):
                args["budget_max"] = need["budget_max"]
    if options:
        args["options"] = options
    if brands:
        args["brands"] = brands
    return args


def _propose_remember(turn: Turn) -> None:
    wanted = _wanted(turn)
    if not wanted:
        turn.say("prefs_what")
        return
    args = {"user_id": turn.customer_id, "consent": True, **wanted}
    turn.add(request_confirmation("remember_customer_preferences", args, flow=FLOW))
    turn.say("prefs_consent", turn.yes_no_buttons(), stated=_stated_text(turn, wanted))


def _propose_forget(turn: Turn) -> None:
    stated = _profile(turn).get("stated") or {}
    if not _stated_text(turn, stated):
        turn.say("prefs_nothing_to_forget")
        return
    turn.add(request_confirmation("forget_preferences", {"user_id": turn.customer_id},
                                  flow=FLOW))
    turn.say("prefs_forget_confirm", turn.yes_no_buttons(), stated=_stated_text(turn, stated))


def answer(turn: Turn, pending: dict[str, Any]) -> bool:
    """The customer's answer to remembering or forgetting; False when the message is
    something else (the proposal is dropped and the message handled as new)."""
    turn.add(clear_confirmation())
    if is_affirm(turn.text, turn.intent, turn.confidence):
        action, args = str(pending["action"]), dict(pending.get("args") or {})
        try:
            result = turn.call(action, **args)
        except KefuError:
            turn.say("internal_problem")
            return True
        turn.forget_reads()
        if action == "forget_preferences":
            turn.say("prefs_forgotten")
        else:
            turn.say("prefs_remembered", stated=_stated_text(turn, result.get("stated") or {}))
        return True
    if is_deny(turn.text, turn.intent):
        turn.say("prefs_not_changed")
        return True
    return False
