"""Product option values: colours, sizes, capacities and storage, materials.

Values are canonical English so that they compare with store catalogs whose options
are English (τ-bench: ``{"color": "red", "size": "XL", "storage": "256GB"}``):

- colours and materials: lower-case English ("红色" → "red", "深蓝" → "navy",
  "真皮" → "leather"); an English word keeps its own spelling ("grey" stays "grey").
- letter sizes: upper case ("xl" → "XL", "加大码" → "XL", "大号" → "L"); numeric sizes
  keep their number ("size 9" → "9", "EU 42" → "EU 42", "42码" → "42").
- capacities: number + canonical unit without a space ("256 gb" → "256GB",
  "500ML" → "500ml", "1.5升" → "1.5L", "27寸" → "27-inch").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kefu.nlu.entities.candidates import Candidate
from kefu.nlu.entities.numerals import cn_to_number, format_number

COLORS_EN: tuple[str, ...] = (
    "navy blue", "sky blue", "light blue", "dark blue", "royal blue", "baby blue", "rose gold",
    "space grey", "space gray", "dark green", "light green", "army green", "olive green",
    "light grey", "light gray", "dark grey", "dark gray", "off-white", "off white",
    "red", "blue", "green", "yellow", "black", "white", "grey", "gray", "pink", "purple",
    "orange", "brown", "beige", "navy", "gold", "silver", "khaki", "maroon", "burgundy",
    "teal", "turquoise", "cream", "ivory", "charcoal", "tan", "violet", "lavender",
    "midnight", "graphite", "champagne", "coral", "mint", "olive", "camel",
)
COLORS_ZH: dict[str, str] = {
    "深蓝色": "navy", "深蓝": "navy", "藏青色": "navy", "藏青": "navy", "藏蓝": "navy",
    "海军蓝": "navy", "天蓝色": "sky blue", "天蓝": "sky blue", "浅蓝色": "light blue",
    "浅蓝": "light blue", "宝蓝": "royal blue", "玫瑰金": "rose gold", "香槟金": "champagne",
    "深空灰": "space grey", "深灰色": "dark grey", "深灰": "dark grey", "浅灰色": "light grey",
    "浅灰": "light grey", "墨绿色": "dark green", "墨绿": "dark green", "军绿色": "army green",
    "军绿": "army green", "米白色": "off-white", "米白": "off-white", "米色": "beige",
    "卡其色": "khaki", "卡其": "khaki", "酒红色": "burgundy", "酒红": "burgundy",
    "红色": "red", "蓝色": "blue", "绿色": "green", "黄色": "yellow", "黑色": "black",
    "白色": "white", "灰色": "grey", "粉色": "pink", "粉红色": "pink", "粉红": "pink",
    "紫色": "purple", "橙色": "orange", "橘色": "orange", "棕色": "brown", "咖啡色": "brown",
    "金色": "gold", "银色": "silver", "青色": "teal", "象牙白": "ivory", "午夜色": "midnight",
    "石墨色": "graphite", "珊瑚色": "coral", "薄荷绿": "mint", "纯黑": "black", "纯白": "white",
    "驼色": "camel", "藕粉": "pink", "雾霾蓝": "haze blue", "奶白": "off-white",
}
MATERIALS_EN: tuple[str, ...] = (
    "stainless steel", "memory foam", "genuine leather", "faux leather", "natural rubber",
    "cotton", "leather", "polyester", "wool", "silk", "linen", "nylon", "aluminum",
    "aluminium", "plastic", "glass", "wood", "wooden", "ceramic", "bamboo", "canvas", "fleece",
    "cashmere", "denim", "suede", "silicone", "titanium", "carbon fiber", "mesh", "rubber",
    "metal", "velvet",
)
MATERIALS_ZH: dict[str, str] = {
    "纯棉": "cotton", "全棉": "cotton", "棉质": "cotton", "真皮": "leather", "牛皮": "leather",
    "皮质": "leather", "羊毛": "wool", "羊绒": "cashmere", "真丝": "silk", "桑蚕丝": "silk",
    "亚麻": "linen", "涤纶": "polyester", "聚酯纤维": "polyester", "尼龙": "nylon",
    "不锈钢": "stainless steel", "铝合金": "aluminum", "塑料": "plastic", "玻璃": "glass",
    "实木": "wood", "木质": "wood", "陶瓷": "ceramic", "竹制": "bamboo", "帆布": "canvas",
    "摇粒绒": "fleece", "抓绒": "fleece", "硅胶": "silicone", "钛合金": "titanium",
    "碳纤维": "carbon fiber", "记忆棉": "memory foam", "牛仔": "denim", "麂皮": "suede",
    "天然橡胶": "natural rubber", "橡胶": "rubber", "金属": "metal", "丝绒": "velvet",
}
SIZES_ZH: dict[str, str] = {
    "加加大码": "XXL", "加加大号": "XXL", "加加大": "XXL", "特大号": "XXL", "特大码": "XXL",
    "加大码": "XL", "加大号": "XL", "加大": "XL", "大码": "L", "大号": "L", "中码": "M",
    "中号": "M", "小码": "S", "小号": "S", "均码": "one size", "加小码": "XS", "加小号": "XS",
}

_EN_ALIASES = {"navy blue": "navy", "space gray": "space grey", "off white": "off-white"}
_COLOR_WORDS = "|".join(sorted(COLORS_EN, key=len, reverse=True))
_COLOR_EN = re.compile(
    # a shade or finish before the colour, or a material after it, belongs to it:
    # "matte white", "sage green", "black leather"
    r"\b((?:(?:matte|glossy|sage|midnight|dark|light|deep|pale|bright|pastel|jet|forest|"
    r"royal|sky|hot|dusty|metallic)\s+)?(?:" + _COLOR_WORDS + r")"
    r"(?:\s+(?:leather|suede|wood|metal|marble|velvet|canvas))?)\b", re.I)
_MATERIAL_EN = re.compile(r"\b(" + "|".join(sorted(MATERIALS_EN, key=len, reverse=True))
                          + r")\b", re.I)
_ZH_LEXICON = {**COLORS_ZH, **MATERIALS_ZH, **SIZES_ZH}
_ZH_OPTION = re.compile("|".join(sorted(_ZH_LEXICON, key=len, reverse=True)))

_LETTER_SIZE = r"(?:XXXL|XXL|XL|XS|XXS|[2-5]XL|S|M|L)"
# XL, XXL... stand alone; a bare S/M/L needs a size word next to it.
_SIZE_STANDALONE = re.compile(r"(?<![A-Za-z0-9])(XXXL|XXL|XL|XS|XXS|[2-5]XL)(?![A-Za-z0-9])")
_SIZE_CUED = re.compile(
    rf"(?P<s>\b(?i:size)\s*{_LETTER_SIZE}|\b(?i:size)\s*\d{{1,2}}(?:\.5)?)(?![A-Za-z0-9])"
    rf"|(?:尺码\s*|码数\s*|鞋码\s*)(?P<c>{_LETTER_SIZE}|\d{{1,3}}(?:\.5)?)(?![A-Za-z0-9])"
    rf"|(?:\bin (?:a |an )?|要\s*)(?P<u>{_LETTER_SIZE})(?![A-Za-z0-9])"
    rf"|(?<![A-Za-z0-9])(?P<t>{_LETTER_SIZE}(?:\s?(?:码|号)|\s+size\b))")
_SIZE_NUMERIC = re.compile(
    r"\b(EU|US|UK)\s?(\d{1,2}(?:\.5)?)\b"
    r"|(?<![\d.-])(\d{2,3}(?:\.5)?)\s?(?:码|号鞋)"
    r"|(?<![\d.-])(\d{2}-\d{2})(?=码)")
# In a message about sizes a lone capital S, M or L is a size ("from M to L", "an L").
_EN_SIZE_TALK = re.compile(r"\bsizes?\b|\bfit\b|\bsmall\b|\bbig\b|\blarge\b|\btight\b|\bloose\b|"
                           r"\bexchange\b|\bswap\b|\bchange\b|\binstead\b")
_LONE_LETTER_SIZE = re.compile(r"(?<![A-Za-z0-9'’.&-])([SML])(?![A-Za-z0-9'’&-]|\.\w)")
# Size, fit, finish and wood words: options after "to/for/in/the/a/an" ("exchange to large").
_EN_OPTION_WORDS = re.compile(
    r"\b(?:to|for|in|the|a|an|want|wanted|get|prefer|is|size|from|or|not)\s+"
    r"(extra large|extra small|small|medium|large|king|queen|twin|petite|"
    r"matte|glossy|walnut|oak|brass|bronze|copper|chrome|blackout|wired|wide|narrow|firm|soft|"
    r"plush|starlight)\b", re.I)
# Bare numbers are sizes only in a message about sizes ("鞋码37改成37.5", "改成39").
_SIZE_TALK = re.compile(r"码|尺码|尺寸|鞋|裤|\bsizes?\b|\bshoe", re.I)
_BARE_SIZE = re.compile(
    r"(?<![\d.#A-Za-z/-])([2-4]\d(?:\.5)?)"
    r"(?![\d.%A-Za-z/-]|\s?(?:元|块|天|号|月|个|件|岁|分|点|度|cm|厘米))")
_MEASURE = re.compile(
    r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)\s?(GB|TB|MB|G(?![A-Za-z])|T(?=\s?(?:硬盘|存储|版|的|$|[，。\s]))|"
    r"ml|mL|ML|毫升|L|l(?=\b)|liters?|litres?|升|mAh|毫安|inch(?:es)?|-inch|in\.|寸|英寸|"
    r"cm|厘米|mm|毫米|米|V|W|Hz)(?:\s?(SSD|HDD))?(?![A-Za-z])", re.I)
_CN_INCH = re.compile(r"([一二三四五六七八九十]{1,3})(寸)")
_UNITS = {"gb": "GB", "g": "GB", "tb": "TB", "t": "TB", "mb": "MB", "ml": "ml", "毫升": "ml",
          "l": "L", "liter": "L", "liters": "L", "litre": "L", "litres": "L", "升": "L",
          "mah": "mAh", "毫安": "mAh", "inch": "-inch", "inches": "-inch", "-inch": "-inch",
          "in.": "-inch", "寸": "-inch", "英寸": "-inch", "cm": "cm", "厘米": "cm", "mm": "mm",
          "毫米": "mm", "米": "m", "v": "V", "w": "W", "hz": "Hz"}
# Editions and cuts: "标准版", "4K版", "加绒款", "男款", "短袖".
_EDITION = re.compile(
    r"(?:标准|豪华|高配|低配|顶配|基础|旗舰|升级|尊享|青春|专业|单人|双人|家庭|加绒|加厚|加长|"
    r"长|短|中长|男|女|儿童|童|限量|国行|港|美|欧|日|左手|右手|宽楦|窄|Pro|Max|Plus|\d+[KkPp])"
    r"(?:版|款)(?!式|本)"
    r"|短袖|长袖|无袖|七分袖|美规|欧规|英规|国标|白光|暖光|冷光|自然光|[红青茶黑银]轴|"
    r"原味|无糖|低糖|微辣|中辣|特辣|[浅中深]度烘焙|二手|全新|套餐[一二三四五六七八九十\d]")


# Dimensions, processors, cup sizes, Chinese garment sizes, formula stages, lens powers.
_SPEC = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s?[x×*]\s?\d+(?:\.\d+)?(?:\s?(?:米|cm|mm|厘米|毫米))?(?![\d.])"
    r"|(?<![A-Za-z0-9])i[3579](?![A-Za-z0-9])"
    r"|(?<![\d/])[1-2]\d{2}/\d{2,3}[A-Z]?(?![\d/])"
    r"|(?<![\d.])[3-4]\d[A-G](?![A-Za-z0-9])"
    r"|(?<![\d.])[1-4]段(?=的|奶粉|$|[，。\s])"
    r"|(?<![\d.])[1-9]\d{1,2}度(?=的|近视|远视|散光|镜片|$|[，。\s])"
    r"|\b(?:304|316|201)不锈钢"
    r"|\b(?i:shade)\s+\d{1,3}\b|\b(?i:pack of)\s+\d{1,3}\b|\b(?:US|UK|EU|AU)\s+(?i:plug)\b"
    r"|\bUSB-C\b|\b(?i:lightning)(?=\s+(?:version|model|port|connector|cable))"
    r"|\b(?i:left|right)-handed\b|\b(?i:limited edition)\b")


def _measure_value(number: str, unit_text: str, storage: str | None) -> str:
    unit = _UNITS.get(unit_text.lower(), unit_text)
    return f"{number}{unit}" + (f" {storage.upper()}" if storage else "")


def find_options(text: str) -> Iterator[Candidate]:
    for m in _COLOR_EN.finditer(text):
        value = _EN_ALIASES.get(m.group(1).lower(), m.group(1).lower())
        yield Candidate("option", value, m.start(), m.end(), priority=3,
                        confidence=0.8)
    for m in _MATERIAL_EN.finditer(text):
        value = {"wooden": "wood", "aluminium": "aluminum", "genuine leather": "leather"}.get(
            m.group(1).lower(), m.group(1).lower())
        yield Candidate("option", value, m.start(), m.end(), priority=3, confidence=0.75)
    for m in _ZH_OPTION.finditer(text):
        yield Candidate("option", _ZH_LEXICON[m.group()], m.start(), m.end(), priority=3,
                        confidence=0.85)
    for m in _SIZE_STANDALONE.finditer(text):
        yield Candidate("option", m.group(1).upper(), m.start(), m.end(), priority=3)
    for m in _SIZE_CUED.finditer(text):
        group = next(g for g in ("s", "c", "u", "t") if m.group(g))
        value = re.sub(r"\s?(?:码|号|size)$|^size\s*", "", m.group(group), flags=re.I).upper()
        yield Candidate("option", value, m.start(group), m.end(group), priority=3,
                        confidence=0.8)
    for m in _SIZE_NUMERIC.finditer(text):
        if m.group(1):
            value = f"{m.group(1).upper()} {m.group(2)}"
            yield Candidate("option", value, m.start(), m.end(), priority=3, confidence=0.8)
        else:
            number = m.group(3) or m.group(4)
            yield Candidate("option", number, m.start(), m.end(), priority=3,
                            confidence=0.8)
    if _EN_SIZE_TALK.search(text):
        for m in _LONE_LETTER_SIZE.finditer(text):
            yield Candidate("option", m.group(1), m.start(1), m.end(1), priority=2,
                            confidence=0.6)
    for m in _EN_OPTION_WORDS.finditer(text):
        yield Candidate("option", m.group(1).lower(), m.start(1), m.end(1), priority=3,
                        confidence=0.6)
    if _SIZE_TALK.search(text):
        for m in _BARE_SIZE.finditer(text):
            yield Candidate("option", m.group(1), m.start(1), m.end(1), priority=1,
                            confidence=0.5)
    for m in _MEASURE.finditer(text):
        yield Candidate("option", _measure_value(m.group(1), m.group(2), m.group(3)),
                        m.start(), m.end(), priority=3, confidence=0.85)
    for m in _CN_INCH.finditer(text):
        number = cn_to_number(m.group(1))
        if number:
            yield Candidate("option", f"{format_number(number)}-inch", m.start(), m.end(),
                            priority=3, confidence=0.7)
    for m in _SPEC.finditer(text):
        value = re.sub(r"\s*[x×*]\s*(?=\d)", "x", m.group())  # "200 × 230" → "200x230"
        value = re.sub(r"\s+", " ", value)
        yield Candidate("option", value, m.start(), m.end(), priority=3, confidence=0.7)
    for m in _EDITION.finditer(text):
        yield Candidate("option", m.group(), m.start(), m.end(), priority=3, confidence=0.7)
