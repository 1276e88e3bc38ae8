"""Generic product mentions, without a store catalog.

A curated list of common product nouns in both languages (head nouns), extended to the
left over product modifiers ("wireless earbuds", "机械键盘", "蓝牙耳机"). The value is
the mention lower-cased (English) or as written (Chinese). Colours, materials and sizes
are options, not part of the product span. For Chinese, LAC's ``nz`` words (product and
brand names) that are not in the list are added by the extractor with low confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from kefu.nlu.entities.candidates import Candidate
from kefu.nlu.entities.chinese import Word

PRODUCT_NOUNS_EN: tuple[str, ...] = (
    "t-shirt", "tshirt", "tee", "shirt", "polo", "blouse", "sweater", "hoodie", "sweatshirt",
    "jacket", "coat", "parka", "down jacket", "raincoat", "vest", "dress", "skirt", "jeans",
    "pants", "trousers", "shorts", "leggings", "socks", "underwear", "bra", "pajamas", "scarf",
    "hat", "cap", "beanie", "gloves", "belt", "tie", "sneakers", "shoes", "boots", "sandals",
    "slippers", "heels", "loafers", "backpack", "bag", "handbag", "purse", "wallet", "suitcase",
    "luggage", "luggage set", "sunglasses", "glasses", "watch", "wristwatch", "smart watch",
    "smartwatch", "necklace", "bracelet", "earrings", "ring", "perfume", "lipstick",
    "makeup kit", "foundation", "moisturizer", "shampoo", "conditioner", "sunscreen",
    "toothbrush", "electric toothbrush", "razor", "hair dryer", "laptop", "notebook",
    "computer", "desktop", "pc", "tablet", "ipad", "iphone", "smartphone", "cell phone",
    "mobile phone", "phone case", "screen protector", "charger", "portable charger",
    "power bank", "cable", "usb cable", "adapter", "headphones", "headphone", "headset",
    "earbuds", "earphones", "airpods", "speaker", "bluetooth speaker", "soundbar", "monitor",
    "keyboard", "mouse", "gaming mouse", "mouse pad", "webcam", "router", "printer",
    "hard drive", "ssd", "usb drive", "flash drive", "memory card", "sd card", "camera",
    "action camera", "digital camera", "security camera", "lens", "tripod", "drone",
    "e-reader", "kindle", "console", "controller", "game controller", "tv", "television",
    "projector", "smart thermostat", "thermostat", "light bulb", "led light bulb", "bulb",
    "lamp", "desk lamp", "wall clock", "clock", "alarm clock", "chair", "office chair", "desk",
    "table", "sofa", "couch", "bed", "mattress", "pillow", "blanket", "bookshelf", "shelf",
    "curtains", "rug", "pet bed", "vacuum", "vacuum cleaner", "robot vacuum", "air purifier",
    "humidifier", "dehumidifier", "fan", "heater", "air conditioner", "fridge",
    "refrigerator", "washing machine", "dryer", "dishwasher", "microwave", "oven", "toaster",
    "blender", "juicer", "mixer", "kettle", "electric kettle", "tea kettle", "coffee maker",
    "coffee machine", "espresso machine", "air fryer", "rice cooker", "pressure cooker",
    "grill", "pan", "frying pan", "pot", "knife set", "cookware", "water bottle", "mug", "cup",
    "thermos", "lunch box", "yoga mat", "dumbbells", "dumbbell set", "treadmill", "bicycle",
    "bike", "cycling helmet", "helmet", "skateboard", "scooter", "tent", "sleeping bag",
    "garden hose", "patio umbrella", "umbrella", "jigsaw puzzle", "puzzle", "toy", "lego",
    "doll", "stroller", "car seat", "diapers", "book", "notebooks", "pen", "headlamp",
    "flashlight", "power strip", "smart plug", "doorbell", "hiking boots", "running shoes",
    "fleece jacket", "phone", "protein powder", "protein bars", "duvet", "blazer", "vase",
    "towel", "teapot", "serum", "sheets", "bedsheets", "pillowcase", "mirror", "candle",
    "plant", "groceries", "eggs", "furniture", "appliance", "bedding", "cookbook",
    "cutting board", "high chair", "doll house", "dollhouse", "skincare", "fitness tracker",
    "grinder", "coffee grinder", "cooler", "air cooler", "plate", "bowl", "cushion", "comforter",
    "smart lock", "hair straightener", "curling iron", "trimmer", "stroller", "crib",
    "highchair", "playstation", "nintendo switch", "dog food", "cat food", "cat litter",
    "face cream", "lotion", "body wash", "toner", "cleanser", "mascara", "eyeliner", "nail polish",
    "wine glasses", "glassware", "cutlery", "dinnerware", "bath mat", "shower curtain",
    # a wider sweep of what online stores sell, so unseen nouns are still found
    "cardigan", "tank top", "camisole", "tunic", "romper", "jumpsuit", "overalls", "joggers",
    "sweatpants", "chinos", "swimsuit", "bikini", "trunks", "windbreaker", "poncho", "gown",
    "tuxedo", "bathrobe", "robe", "nightgown", "onesie", "bodysuit", "bib", "mittens",
    "earmuffs", "headband", "hair clip", "sock", "stockings", "tights", "flip flops",
    "flip-flops", "clogs", "mules", "espadrilles", "trainers", "cleats", "waders", "insoles",
    "tote", "tote bag", "duffel bag", "messenger bag", "crossbody bag", "clutch", "fanny pack",
    "briefcase", "keychain", "pendant", "brooch", "anklet", "cufflinks", "hairbrush", "comb",
    "eyeshadow", "blush", "concealer", "primer", "lip gloss", "lip balm", "face mask",
    "sheet mask", "shaver", "epilator", "toothpaste", "mouthwash", "floss", "deodorant",
    "cologne", "body lotion", "hand cream", "sunblock", "vitamins", "supplements",
    "multivitamin", "thermometer", "massager", "heating pad", "humidifier",
    "smartphone case", "tablet case", "stylus", "earphone", "speakers", "subwoofer",
    "amplifier", "turntable", "record player", "microphone", "mic", "ring light", "gimbal",
    "dashcam", "dash cam", "gps", "smart speaker", "smart display", "smart bulb", "hub",
    "modem", "extender", "graphics card", "motherboard", "processor", "ram",
    "power supply", "cpu cooler", "hard disk", "external drive", "usb hub", "docking station",
    "keyboard cover", "trackpad", "joystick", "vr headset", "game console",
    "video game", "board game", "card game", "puzzle box", "action figure", "stuffed animal",
    "plush toy", "teddy bear", "building blocks", "toy car", "rc car", "kite", "scooter",
    "tricycle", "balance bike", "sled", "swing", "trampoline", "playpen", "baby monitor",
    "pacifier", "sippy cup", "diaper bag", "car seat cover", "booster seat", "bottle warmer",
    "breast pump", "nursing pillow", "changing pad", "cot", "bassinet", "cradle",
    "cookie sheet", "baking sheet", "muffin tin", "mixing bowl", "measuring cups",
    "spatula", "whisk", "ladle", "tongs", "peeler", "grater", "colander", "strainer",
    "chopping board", "knife", "knives", "scissors", "wok", "skillet", "saucepan",
    "dutch oven", "slow cooker", "instant pot", "food processor", "stand mixer",
    "hand mixer", "waffle maker", "sandwich maker", "popcorn maker", "ice maker",
    "water filter", "water dispenser", "soda maker", "milk frother", "french press",
    "teacup", "tea set", "saucer", "tumbler", "flask", "lunchbox", "bento box",
    "storage box", "storage bin", "basket", "hamper", "hanger", "hangers", "drawer",
    "dresser", "wardrobe", "nightstand", "cabinet", "bench", "stool", "bar stool", "recliner",
    "armchair", "futon", "ottoman", "bean bag", "headboard", "bed frame", "bunk bed",
    "duvet cover", "pillowcase", "throw pillow", "quilt", "mattress topper",
    "mattress pad", "bath towel", "hand towel", "beach towel", "doormat", "area rug",
    "lamp shade", "chandelier", "ceiling fan", "floor lamp", "night light", "string lights",
    "fairy lights", "wallpaper", "picture frame", "photo frame", "wall art", "poster",
    "clock radio", "smoke detector", "door lock", "padlock", "toolbox", "drill",
    "screwdriver", "hammer", "wrench", "ladder", "lawn mower", "hose", "sprinkler",
    "shovel", "rake", "planter", "flower pot", "seeds", "fertilizer", "bbq", "barbecue",
    "fire pit", "patio set", "hammock", "cooler bag", "lantern", "camping stove",
    "fishing rod", "golf clubs", "golf balls", "tennis racket", "badminton racket",
    "basketball", "football", "soccer ball", "volleyball", "baseball bat",
    "boxing gloves", "jump rope", "resistance bands", "kettlebell", "exercise bike",
    "rowing machine", "foam roller", "yoga block", "water bottles", "sports bottle",
    "ski jacket", "snowboard", "skis", "goggles", "swim goggles", "wetsuit", "surfboard",
    "paddle board", "life jacket", "dog leash", "leash", "collar", "harness", "pet carrier",
    "litter box", "cat tree", "scratching post", "aquarium", "fish tank", "bird cage",
    "pet food", "chew toy", "notebook paper", "notepad", "planner", "journal",
    "diary", "calendar", "stapler", "markers", "crayons", "pencils", "pens", "highlighters",
    "paintbrush", "canvas", "easel", "sketchbook", "guitar", "ukulele", "piano",
    "keyboard piano", "violin", "drum", "drums", "headphone amp", "watch strap", "earring",
    "coffee beans", "snacks", "chocolate", "cookies", "wine", "olive oil", "rice",
    "honey", "nuts", "cereal", "coffee pods", "baby formula",
)
# Modifiers that belong to a product name when they stand right before a product noun.
MODIFIERS_EN: tuple[str, ...] = (
    "wireless", "bluetooth", "mechanical", "gaming", "noise-cancelling", "noise cancelling",
    "noise-canceling", "smart", "electric", "portable", "running", "hiking", "trail",
    "winter", "summer", "rain", "waterproof", "digital", "action", "security", "indoor",
    "outdoor", "office", "desk", "wall", "coffee", "espresso", "water", "yoga", "down",
    "robot", "robotic", "cordless", "air", "pressure", "4k", "usb-c", "usb", "led",
    "ergonomic", "standing", "kids", "men's", "women's", "baby", "sports",
)
PRODUCT_NOUNS_ZH: tuple[str, ...] = (
    "扫地机器人", "扫地机", "吸尘器", "空气净化器", "加湿器", "除湿机", "电风扇", "风扇",
    "取暖器", "电暖器", "空调", "冰箱", "洗衣机", "烘干机", "洗碗机", "微波炉", "烤箱",
    "面包机", "破壁机", "榨汁机", "料理机", "豆浆机", "电水壶", "烧水壶", "热水壶", "水壶",
    "咖啡机", "意式咖啡机", "空气炸锅", "电饭煲", "电饭锅", "高压锅", "压力锅", "电磁炉",
    "炒锅", "平底锅", "锅", "刀具", "保温杯", "水杯", "杯子", "马克杯", "饭盒", "保温饭盒",
    "手机", "智能手机", "手机壳", "钢化膜", "贴膜", "充电器", "充电宝", "移动电源", "数据线",
    "耳机", "蓝牙耳机", "降噪耳机", "头戴式耳机", "音箱", "蓝牙音箱", "音响", "键盘", "机械键盘",
    "鼠标", "游戏鼠标", "鼠标垫", "显示器", "笔记本电脑", "笔记本", "电脑", "平板电脑", "平板",
    "台式机", "路由器", "打印机", "硬盘", "移动硬盘", "固态硬盘", "U盘", "内存卡", "相机",
    "数码相机", "单反", "运动相机", "摄像头", "监控摄像头", "无人机", "电子书阅读器", "阅读器",
    "kindle", "游戏机", "手柄", "电视", "电视机", "投影仪", "智能手表", "手表", "手环", "智能手环",
    "台灯", "灯泡", "吊灯", "挂钟", "闹钟", "椅子", "办公椅", "人体工学椅", "电竞椅", "桌子",
    "书桌", "电脑桌", "沙发", "床垫", "枕头", "被子", "毯子", "四件套", "书架", "窗帘", "地毯",
    "宠物床", "猫砂", "狗粮", "猫粮", "T恤", "t恤", "衬衫", "卫衣", "毛衣", "针织衫", "外套",
    "夹克", "羽绒服", "棉服", "冲锋衣", "抓绒衣", "风衣", "大衣", "西装", "连衣裙", "裙子",
    "半身裙", "牛仔裤", "裤子", "休闲裤", "运动裤", "短裤", "打底裤", "袜子", "内衣", "内裤",
    "睡衣", "围巾", "帽子", "手套", "皮带", "领带", "运动鞋", "跑鞋", "跑步鞋", "登山鞋",
    "徒步鞋", "皮鞋", "靴子", "马丁靴", "雪地靴", "凉鞋", "拖鞋", "高跟鞋", "板鞋", "帆布鞋",
    "鞋子", "鞋", "双肩包", "背包", "书包", "手提包", "包包", "钱包", "行李箱", "拉杆箱",
    "旅行箱", "太阳镜", "墨镜", "眼镜", "项链", "手链", "耳环", "戒指", "香水", "口红",
    "粉底液", "面霜", "洗面奶", "面膜", "精华", "防晒霜", "洗发水", "护发素", "沐浴露",
    "牙刷", "电动牙刷", "剃须刀", "吹风机", "卷发棒", "瑜伽垫", "哑铃", "跑步机", "自行车",
    "山地车", "单车", "头盔", "骑行头盔", "滑板", "滑板车", "帐篷", "睡袋", "水管", "浇花水管",
    "遮阳伞", "雨伞", "拼图", "玩具", "积木", "乐高", "娃娃", "婴儿车", "安全座椅", "纸尿裤",
    "奶粉", "书", "笔记本本子", "本子", "钢笔", "手电筒", "插线板", "智能插座", "门铃",
    "温控器", "智能温控器", "化妆品", "化妆套装", "茶壶", "电热水壶", "床单", "被套", "羊毛衫",
    "护肤品", "文胸", "连体衣", "内存条", "洗衣液", "茶叶", "零食", "水果", "鸡蛋", "蛋糕", "海鲜",
    "生鲜", "牙膏", "咖啡豆", "小家电", "生日礼物", "礼物", "遥控器", "花瓶", "奶瓶", "净水器",
    "镜头", "婴儿推车", "推车", "电动车", "床", "iPad壳", "显卡", "马丁靴", "玻璃杯", "家电",
    "手机膜", "平板电脑", "收纳箱", "收纳盒", "电锅", "小电锅", "连体衣", "牛仔外套", "牛仔裤",
    "牛仔裙", "婴儿连体衣",
)
# Brands that make the following product word part of the product name ("小米手环").
BRANDS_ZH: tuple[str, ...] = (
    "小米", "华为", "苹果", "索尼", "联想", "戴森", "美的", "格力", "海尔", "飞利浦", "罗技",
    "三星", "荣耀", "耐克", "阿迪达斯", "优衣库", "李宁", "安踏", "九阳", "苏泊尔", "松下",
    "佳能", "尼康", "大疆", "倍思", "绿联", "雷蛇", "漫步者", "科沃斯", "石头", "追觅", "OPPO",
    "vivo", "Bose", "Apple", "Sony", "Nike",
)
# Model lines written in Latin letters, with their version words ("iPhone 15 Pro Max").
MODEL_LINES: tuple[str, ...] = (
    "iPhone", "iPad", "MacBook", "AirPods", "Apple Watch", "Apple Pencil", "Galaxy", "Pixel",
    "Kindle", "PS5", "Xbox", "ThinkPad", "Surface Pro", "GoPro", "Nintendo Switch", "Redmi",
)
# Last characters of Chinese product nouns: LAC nouns ending so are products.
_ZH_HEADS = "机器仪椅衣裤鞋包杯壶锅灯镜垫架车笔膜锁瓶盒罩裙帽衫袜枕床桌凳扇霜膏露刀剪梳伞毯巾"
_ZH_NOT_PRODUCT_NOUNS = {"司机", "购物车", "红包", "包裹", "快递包", "客服机器人", "手机号", "飞机",
                         "时机", "危机", "商机", "心机", "动机", "随机", "主机", "表", "车", "包",
                         "券包", "外包", "钱包余额", "世界杯", "邮箱", "冷链", "掌柜", "鞋盒",
                         "能机", "外包装", "快递车", "手机"}
MODIFIERS_ZH: tuple[str, ...] = (
    "无线", "蓝牙", "机械", "游戏", "电竞", "降噪", "智能", "电动", "便携", "便携式", "户外",
    "运动", "登山", "儿童", "男士", "女士", "男款", "女款", "冬季", "夏季", "加厚", "大容量",
    "迷你", "家用", "办公", "折叠", "防水", "超薄", "轻薄", "4K", "无线充", "全自动", "人体工学",
    "头戴式", "入耳式", "触屏", "新款", "高端", "便宜", "学生",
)

# Nouns that only modify a product noun after them ("dog bed", "bike helmet").
NOUN_MODIFIERS_EN: tuple[str, ...] = (
    "dog", "cat", "pet", "kids'", "kid's", "kids", "toddler", "gym", "face", "bath", "bedside",
    "dining", "kitchen", "protein", "fitness", "suede", "replacement", "starter", "christmas",
    "cake", "high", "doll", "winter", "floor", "travel", "camping", "hiking", "baby",
)
# Words after a product noun that make an accessory or set of it ("laptop stand").
SUFFIXES_EN: tuple[str, ...] = (
    "set", "kit", "case", "cover", "stand", "band", "strap", "frame", "holder", "mount",
    "filter", "pad", "mat", "bag", "sheet", "protector", "charger", "cable",
)


def _plural(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) + r"(?:e?s)?" for w in sorted(words, key=len, reverse=True))


@cache
def _en_product() -> re.Pattern[str]:
    """The English noun-phrase pattern; built on first use (it is large: ~100 ms)."""
    return re.compile(
        r"(?<![\w-])(?:(?:" + "|".join(re.escape(m) for m in (*MODIFIERS_EN, *NOUN_MODIFIERS_EN))
        + "|" + "|".join(re.escape(n) for n in PRODUCT_NOUNS_EN) + r")\s+){0,2}"
        r"(?:" + _plural(PRODUCT_NOUNS_EN) + r")(?:\s+(?:" + _plural(SUFFIXES_EN) + r"))?"
        r"(?![\w-])", re.I)
# Upper-case product abbreviations, matched case-sensitively.
_EN_ABBREVIATIONS = re.compile(r"\b(?:SSD|HDD|GPU|CPU|TV|PC)s?\b")
# "phone" in "phone number", "by phone", "on the phone" is not a product.
_NOT_PHONE_PRODUCT = re.compile(
    r"(?:by|over the|on the|via|login|log-in|account|contact|registered|bound|linked)\s+"
    r"phones?\s*$|phones?\s*(?:number|call|no\.?|#|:|on file|already)", re.I)
@cache
def _en_head_words() -> frozenset[str]:
    """Last words of the English nouns, singular and plural: a cheap test before the regex."""
    heads = {n.split()[-1].lower() for n in PRODUCT_NOUNS_EN}
    return frozenset(heads | {h + "s" for h in heads} | {h + "es" for h in heads})


@cache
def _zh_product() -> re.Pattern[str]:
    return re.compile(
        r"(?:" + "|".join(sorted(MODIFIERS_ZH, key=len, reverse=True)) + r")*"
        r"(?:" + "|".join(re.escape(n) for n in sorted(PRODUCT_NOUNS_ZH, key=len, reverse=True))
        + r")")
# "手机号", "手机 138...", "cell phone number": a phone number, not a product.
_PHONE_NUMBER_AFTER = re.compile(
    r"\s*(?:号码?|尾号|number|no\.|#|[:：]?\s*[+(]?\d[\d\s()-]{6,})", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|my|a|an|this|that|these|those|new|\d+|two|three|"
                                r"your|our|his|her|its)\s+$", re.I)
# English nouns that are usually not products in a customer message.
_EN_AMBIGUOUS = {"tie", "ring", "cap", "pot", "book", "tee", "polo", "table", "bed", "cup",
                 "pen", "fan", "mixer", "lens", "pan", "bulb", "clock", "watch", "bag",
                 "toy", "shelf", "desktop", "notebook", "foundation", "puzzle", "pc"}
# Chinese single nouns that are too often parts of other words.
_ZH_AMBIGUOUS = {"锅", "鞋", "书", "本子", "精华", "单车"}


_MODEL = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(MODEL_LINES) + r")(?:\s?(?:Pro|Max|Plus|Mini|mini|Air|Ultra|SE|"
    r"\d{1,2}[A-Za-z]?|S\d{1,2}|Series \d+)(?![A-Za-z0-9]))*(?![A-Za-z])")
_BRAND_ZH = re.compile(r"(?:" + "|".join(BRANDS_ZH) + r")(?=[\u4e00-\u9fffA-Za-z0-9])")
_BRAND_MODEL = re.compile(r"\s?[A-Za-z]*\d+[A-Za-z0-9]*(?:\s?(?:Pro|Max|Plus|Ultra|mini))*")


def plausible_mention(text: str, start: int, end: int, words: Sequence[Word] = ()) -> bool:
    """False for a product word that is part of something else: "手机" in "手机号" or in
    "手机13812345678", "钱包" in "多少钱包邮" (it cuts through LAC's words)."""
    if _PHONE_NUMBER_AFTER.match(text, end):
        return False
    if words and re.search(r"[\u4e00-\u9fff]", text[start:end]):
        starts = {w.start for w in words}
        ends = {w.end for w in words}
        return start in starts and end in ends
    return True


def find_products(text: str, words: Sequence[Word] = ()) -> Iterator[Candidate]:
    """Product mentions; ``words`` (LAC tags of a Chinese text) sharpen the Chinese ones."""
    tokens = set(re.findall(r"[a-z][a-z'-]*", text.lower()))
    english = not tokens.isdisjoint(_en_head_words())
    for m in (_en_product().finditer(text) if english else ()):
        mention = m.group()
        if _PHONE_NUMBER_AFTER.match(text, m.end()):
            continue
        if mention.lower() in ("phone", "phones") and (
                _NOT_PHONE_PRODUCT.search(text[max(0, m.start() - 12):m.end()])
                or _NOT_PHONE_PRODUCT.match(text, m.start())):
            continue
        if mention.lower() in _EN_AMBIGUOUS and not _DETERMINER_BEFORE.search(
                text[max(0, m.start() - 12):m.start()]):
            continue  # "address book", "watch out": ambiguous nouns need "the/my/a ..."
        confidence = 0.6 if mention.lower() in _EN_AMBIGUOUS else 0.75
        yield Candidate("product", mention.lower(), m.start(), m.end(), priority=3,
                        confidence=confidence, source="lexicon")
    for m in _EN_ABBREVIATIONS.finditer(text):
        yield Candidate("product", m.group(), m.start(), m.end(), priority=3, confidence=0.6,
                        source="lexicon")
    for m in _MODEL.finditer(text):
        yield Candidate("product", m.group(), m.start(), m.end(), priority=3, confidence=0.8,
                        source="lexicon")
    for m in _zh_product().finditer(text):
        mention = m.group()
        if mention in _ZH_AMBIGUOUS or not plausible_mention(text, m.start(), m.end(), words):
            continue
        yield Candidate("product", mention, m.start(), m.end(), priority=3, confidence=0.75,
                        source="lexicon")
    for cand in _lac_nouns(words):
        if not _PHONE_NUMBER_AFTER.match(text, cand.end):
            yield cand
    yield from _branded(text, words)


def _lac_nouns(words: Sequence[Word]) -> Iterator[Candidate]:
    """LAC nouns (and noun compounds) whose last character is a product head: "遥控器"."""
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].tag in ("n", "nz") and re.fullmatch(
                r"[\u4e00-\u9fffA-Za-z]+", words[j].text):
            j += 1
        if j > i:
            chunk = words[i:j]
            # the head word decides; one modifier noun before it may belong to the name
            head = chunk[-1]
            first = chunk[-2] if len(chunk) >= 2 and len(chunk[-2].text) <= 2 else head
            mention_start, mention_end = first.start, head.end
            name = "".join(w.text for w in chunk if w.start >= mention_start)
            if (head.text[-1] in _ZH_HEADS and len(name) >= 2 and not name.endswith("邮箱")
                    and head.text not in _ZH_NOT_PRODUCT_NOUNS
                    and name not in _ZH_NOT_PRODUCT_NOUNS):
                yield Candidate("product", name, mention_start, mention_end, priority=2,
                                confidence=0.6, source="lac")
            i = j
        else:
            i += 1


def _branded(text: str, words: Sequence[Word]) -> Iterator[Candidate]:
    """A brand and the product or model after it: "小米手环", "索尼XM5", "戴森吹风机"."""
    for m in _BRAND_ZH.finditer(text):
        end = m.end()
        model = _BRAND_MODEL.match(text, end)
        product = _zh_product().match(text, end)
        if product:
            end = product.end()
        elif model:
            end = model.end()
        else:
            following = next((w for w in words if w.start == end), None)
            if following is None or following.tag not in ("n", "nz") or len(following.text) > 4:
                continue
            end = following.end
        yield Candidate("product", text[m.start():end], m.start(), end, priority=3,
                        confidence=0.75, source="lexicon")
