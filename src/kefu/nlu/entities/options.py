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

COLORS_EN: tuple[str, ...] = (
    "navy blue", "sky blue", "light blue", "dark blue", "royal blue", "baby blue", "rose gold",
    "space grey", "space gray", "dark green", "light green", "army green", "olive green",
    "light grey", "light gray", "dark grey", "dark gray", "off-white", "off white",
    "red", "blue", "green", "yellow", "black", "white", "grey", "gray", "pink", "purple",
    "orange", "brown", "beige", "navy", "gold", "silver", "khaki", "maroon", "burgundy",
    "teal", "turquoise", "cream", "ivory", "charcoal", "tan", "violet", "lavender",
    "midnight", "graphite", "champagne", "coral", "mint",
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
    "黑的": "black", "白的": "white", "红的": "red", "蓝的": "blue",
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
_COLOR_EN = re.compile(r"\b(" + "|".join(sorted(COLORS_EN, key=len, reverse=True)) + r")\b", re.I)
_MATERIAL_EN = re.compile(r"\b(" + "|".join(sorted(MATERIALS_EN, key=len, reverse=True))
                          + r")\b", re.I)
_ZH_LEXICON = {**COLORS_ZH, **MATERIALS_ZH, **SIZES_ZH}
_ZH_OPTION = re.compile("|".join(sorted(_ZH_LEXICON, key=len, reverse=True)))

_LETTER_SIZE = r"(?:XXXL|XXL|XL|XS|XXS|[2-5]XL|S|M|L)"
# XL, XXL... stand alone; a bare S/M/L needs a size word next to it.
_SIZE_STANDALONE = re.compile(r"(?<![A-Za-z0-9])(XXXL|XXL|XL|XS|XXS|[2-5]XL)(?![A-Za-z0-9])")
_SIZE_CUED = re.compile(
    rf"(?:\bsize\s*(?:is\s+)?|尺码\s*|码数\s*)(?P<s>{_LETTER_SIZE}|\d{{1,2}}(?:\.5)?)(?![A-Za-z0-9])"
    rf"|(?:\bin (?:a |an )?|要\s*)(?P<u>{_LETTER_SIZE})(?![A-Za-z0-9])"
    rf"|(?<![A-Za-z0-9])(?P<t>{_LETTER_SIZE})(?:\s?(?:码|号)|\s+size\b)")
_SIZE_EU = re.compile(r"\b(EU|US|UK)\s?(\d{1,2}(?:\.5)?)\b|(?<!\d)(\d{2}(?:\.5)?)\s?(码|号鞋|码的)"
                      r"(?![\d])")
_CAPACITY = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s?(GB|TB|MB|G(?=\s?(?:内存|存储|版|的|\b))|T(?=\s?(?:硬盘|存储|版|\b))|"
    r"ml|mL|ML|毫升|L|l(?=\b)|liters?|litres?|升|mAh|毫安|inch(?:es)?|-inch|in\.|寸|英寸)"
    r"(?:\s?(SSD|HDD))?(?![A-Za-z])", re.I)
_CAP_UNITS = {"gb": "GB", "g": "GB", "tb": "TB", "t": "TB", "mb": "MB", "ml": "ml", "毫升": "ml",
              "l": "L", "liter": "L", "liters": "L", "litre": "L", "litres": "L", "升": "L",
              "mah": "mAh", "毫安": "mAh", "inch": "-inch", "inches": "-inch", "-inch": "-inch",
              "in.": "-inch", "寸": "-inch", "英寸": "-inch"}


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
        group = next(g for g in ("s", "u", "t") if m.group(g))
        yield Candidate("option", m.group(group).upper(), m.start(group), m.end(group),
                        priority=3, confidence=0.8)
    for m in _SIZE_EU.finditer(text):
        if m.group(1):
            value = f"{m.group(1).upper()} {m.group(2)}"
            yield Candidate("option", value, m.start(), m.end(), priority=3, confidence=0.8)
        else:
            yield Candidate("option", m.group(3), m.start(), m.end(), priority=3,
                            confidence=0.8)
    for m in _CAPACITY.finditer(text):
        unit = _CAP_UNITS[m.group(2).lower()]
        number = m.group(1)
        value = f"{number}{unit}" + (f" {m.group(3).upper()}" if m.group(3) else "")
        yield Candidate("option", value, m.start(), m.end(), priority=3, confidence=0.85)
