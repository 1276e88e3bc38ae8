"""Person names: English after introducing cues, Chinese from LAC's PER tags.

English names are only taken after a cue ("my name is", "I'm", "this is", "name:",
"under the name", "for" + two capitalised words) and must be capitalised words that are
not common sentence words, so precision stays high. A cue-less capitalised pair
("Yusuf Rossi") is also a name when followed by "and my zip" / "zip code" - the way
customers identify themselves to a store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kefu.nlu.entities.candidates import Candidate
from kefu.nlu.entities.chinese import Word

_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_CUES = re.compile(
    r"\b(?:my name is|my name's|(?<!company )(?<!business )(?<!shop )(?<!store )name is|i am|"
    r"i'm|im|this is|it's|it is|call me|name\s*:|under the name(?: of)?|under|signed|"
    r"regards,|thanks,|cheers,|(?:recipient|receiver|addressee)\b[^:,.]{0,30}:)\s+", re.I)
_FOR_CUE = re.compile(rf"(?:\bfor|\bof|\baccount|'s,)\s+({_NAME_WORD}\s+{_NAME_WORD})\b")
# "Anna here", "Wei Zhang speaking", "the staff member Jenny", "change the name to Daniel Kim".
_SELF_INTRO = re.compile(rf"(?:^|[,.!;]\s*|\b(?i:hello|hi|hey|morning|evening)\b,?\s+)({_NAME})"
                         r",?\s+(?:here|speaking)\b")
_ROLE_CUE = re.compile(rf"\b(?:staff member|agent|rep|representative|colleague|courier|driver|"
                       rf"account holder|holder|sister|brother|mom|mum|dad|mother|father|wife|"
                       rf"husband|friend|son|daughter|boss|cousin|aunt|uncle|grandma|grandpa|"
                       rf"partner|boyfriend|girlfriend|neighbou?r|recipient:?|receiver:?|"
                       rf"recipient|receiver)\s+({_NAME})\b")
_NAME_TO = re.compile(rf"(?<!company )(?<!business )(?<!shop )(?<!store )(?<!brand )\bname\b"
                      rf".{{0,40}}?\b(?:to|is|as)\s+({_NAME})\b")
# A title makes a name even of one word: "Mr. Lee", "Mrs. Thompson" (the title is kept).
_TITLED = re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
                     r"(?:\s+[A-Z][a-z]+)?)\b")
# "hey, it's Mark": a greeting that ends with a name.
_SIGN_OFF = re.compile(rf"\b(?:it'?s|this is)\s+({_NAME_WORD})\s*[.!]?\s*$")
_BEFORE_ZIP = re.compile(rf"\b({_NAME_WORD}\s+{_NAME_WORD})(?=,?\s+(?:and\s+)?(?:my\s+)?"
                         r"(?:zip|postal|postcode))")
_NOT_NAMES = {
    "sorry", "looking", "here", "not", "just", "very", "interested", "trying", "wondering",
    "calling", "writing", "asking", "going", "having", "still", "really", "so", "also",
    "happy", "unhappy", "sure", "fine", "good", "okay", "ok", "hello", "hi", "hey", "thanks",
    "thank", "the", "a", "an", "my", "your", "it", "this", "that", "what", "when", "where",
    "how", "why", "who", "please", "order", "item", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december",
    "new", "done", "back", "ready", "available", "in", "on", "at", "from", "with", "about",
    "frustrated", "upset", "angry", "confused", "disappointed", "glad", "afraid", "unable",
    "able", "waiting", "hoping", "planning", "moving", "buying", "returning", "cancelling",
    "canceling", "checking", "following", "contacting", "reaching", "getting", "customer",
    "support", "service", "agent", "bot", "human", "shipping", "delivery", "amazon", "apple",
    "google", "samsung", "mechanical", "wireless", "bluetooth", "smart", "air", "water",
    "coffee", "gaming", "hiking", "running", "office", "desk", "wall", "electric",
    "is", "are", "was", "be", "and", "or", "but", "if", "then", "there", "they", "we", "you",
    "he", "she", "him", "her", "them", "our", "their", "its", "all", "any", "some", "no",
    "yes", "one", "two", "three", "wrong", "right", "correct", "late", "early", "tracking",
    "refund", "return", "exchange", "cancel", "address", "email", "phone", "zip", "code",
}
# The common Chinese family names (single and compound): a LAC PER word must start with
# one, which removes greetings and slang LAC sometimes takes for names ("早安", "谢啦").
_SURNAMES_2 = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
               "长孙", "宇文", "司徒", "夏侯", "端木", "南宫")
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")


def is_chinese_name(word: str) -> bool:
    if not 2 <= len(word) <= 4 or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
        return False
    if word[-1] in "啦了呀啊哈吧呢哦":
        return False  # "谢啦", "马了": a surname character starting an interjection
    if word.startswith(_SURNAMES_2):
        return len(word) >= 3
    return word[0] in _SURNAMES_1


# Chinese words LAC sometimes tags PER that are not people in shop talk.
_ZH_NOT_NAMES = {"亲", "客服", "小二", "掌柜", "老板", "店家", "宝贝", "亲亲", "顺丰", "中通",
                 "圆通", "申通", "韵达", "京东", "淘宝", "天猫", "菜鸟"}


def _trim_name(name: str) -> str | None:
    words = re.sub(r"'s$", "", name).split()
    while words and words[-1].lower() in _NOT_NAMES:
        words.pop()
    if not words or any(w.lower() in _NOT_NAMES for w in words):
        return None
    return " ".join(words)


def find_english_names(text: str) -> Iterator[Candidate]:
    for cue in _CUES.finditer(text):
        m = re.compile(_NAME).match(text, cue.end())
        if not m:
            continue
        name = _trim_name(m.group())
        if name is None:
            continue
        cue_word = cue.group().strip().lower()
        single_after_weak_cue = " " not in name and cue_word in ("i am", "i'm", "im")
        if " " not in name and cue_word in ("it's", "it is", "under", "this is"):
            continue  # "it's Tower B", "under Warranty": one capitalised word is not enough
        if " " not in name and re.match(r"[A-Z]?\s*\d|[A-Z]\b", text[m.end():].lstrip()):
            continue  # "I'm Building 5", "Tower B": a place or a model, not a name
        confidence = 0.7 if single_after_weak_cue else 0.9
        yield Candidate("person", name, m.start(), m.start() + len(name), priority=3,
                        confidence=confidence)
    for m in _TITLED.finditer(text):
        yield Candidate("person", m.group(1), m.start(1), m.end(1), priority=3, confidence=0.85)
    for pattern in (_SELF_INTRO, _ROLE_CUE, _NAME_TO, _SIGN_OFF):
        for m in pattern.finditer(text):
            name = _trim_name(m.group(1))
            if name:
                yield Candidate("person", name, m.start(1), m.start(1) + len(name),
                                priority=3, confidence=0.7)
    for pattern in (_FOR_CUE, _BEFORE_ZIP):
        for m in pattern.finditer(text):
            name = _trim_name(m.group(1))
            if name and " " in name:
                yield Candidate("person", name, m.start(1), m.start(1) + len(name),
                                priority=3, confidence=0.75)


def find_chinese_names(text: str, words: Iterable[Word]) -> Iterator[Candidate]:
    for word in words:
        if word.tag != "PER" or word.text in _ZH_NOT_NAMES:
            continue
        name = word.text.strip()
        if not is_chinese_name(name):
            continue
        yield Candidate("person", name, word.start, word.end, priority=2, confidence=0.8,
                        source="lac")
    # "我叫王小明" / "我是李娜": LAC may miss a name right after a cue.
    for m in re.finditer(r"(?:我叫|我的名字是|名字是|姓名[:：]?|收件人[:：是]?|联系人[:：是]?)"
                         r"([\u4e00-\u9fff]{2,4}?)(?=[，,。\s]|$|的|，)", text):
        if not is_chinese_name(m.group(1)):
            continue
        yield Candidate("person", m.group(1), m.start(1), m.end(1), priority=2,
                        confidence=0.7)
