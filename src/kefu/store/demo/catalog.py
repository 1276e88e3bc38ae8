"""The demo shop's catalog tables, written by hand: categories, option dimensions with
English and Chinese values, product types and brands. :mod:`kefu.store.demo.build` turns
them into products and variants.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OptionDim:
    """An option dimension: its key (as stored), Chinese name, and (en, zh) values."""

    key: str
    name_zh: str
    values: tuple[tuple[str, str], ...]
    # Whether later values cost more (storage, capacity), so variant prices rise with them.
    priced: bool = False


@dataclass(frozen=True)
class Category:
    id: str
    name_en: str
    name_zh: str
    warranty_months: int
    repair_available: bool
    warranty_en: str
    warranty_zh: str


@dataclass(frozen=True)
class ProductType:
    category: str
    en: str
    zh: str
    desc_en: str
    desc_zh: str
    dims: tuple[OptionDim, ...]
    price: tuple[int, int]
    # Fixed product names (en, zh) instead of brand + series, e.g. book titles.
    titles: tuple[tuple[str, str], ...] = ()


def _dim(key: str, zh: str, *values: str, priced: bool = False) -> OptionDim:
    pairs = tuple(tuple(v.split("|")) if "|" in v else (v, v) for v in values)
    return OptionDim(key, zh, pairs, priced)  # type: ignore[arg-type]


COLOR = _dim("color", "颜色", "black|黑色", "white|白色", "red|红色", "blue|蓝色", "green|绿色",
             "pink|粉色", "gray|灰色", "silver|银色", "gold|金色", "purple|紫色")
CLOTH_SIZE = _dim("size", "尺码", "S", "M", "L", "XL", "XXL")
SHOE_SIZE = _dim("size", "尺码", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45")
STORAGE = _dim("storage", "存储容量", "64GB", "128GB", "256GB", "512GB", "1TB", priced=True)
MEMORY = _dim("memory", "内存", "8GB", "16GB", "32GB", priced=True)
SCREEN = _dim("screen size", "屏幕尺寸", "13 inch|13英寸", "14 inch|14英寸",
              "15.6 inch|15.6英寸", "16 inch|16英寸", priced=True)
MONITOR = _dim("screen size", "屏幕尺寸", "24 inch|24英寸", "27 inch|27英寸",
               "32 inch|32英寸", priced=True)
CONNECT = _dim("connectivity", "连接方式", "wired|有线", "wireless|无线", "bluetooth|蓝牙")
SWITCH = _dim("switch type", "轴体", "red switch|红轴", "blue switch|青轴",
              "brown switch|茶轴")
LENGTH = _dim("length", "长度", "1m|1米", "2m|2米", "3m|3米", priced=True)
CAPACITY_L = _dim("capacity", "容量", "1L|1升", "1.5L|1.5升", "3L|3升", "5L|5升", priced=True)
CAPACITY_MAH = _dim("capacity", "容量", "5000mAh", "10000mAh", "20000mAh", priced=True)
POWER = _dim("power", "功率", "800W", "1200W", "1800W", "2200W", priced=True)
MATERIAL = _dim("material", "材质", "cotton|棉", "linen|亚麻", "wool|羊毛",
                "polyester|涤纶", "silk|真丝")
KITCHEN_MATERIAL = _dim("material", "材质", "stainless steel|不锈钢", "cast iron|铸铁",
                        "ceramic|陶瓷", "glass|玻璃")
WOOD = _dim("material", "材质", "oak|橡木", "walnut|胡桃木", "pine|松木", "bamboo|竹")
FURNITURE_SIZE = _dim("size", "尺寸", "small|小号", "medium|中号", "large|大号", priced=True)
BED_SIZE = _dim("size", "尺寸", "1.2m|1.2米", "1.5m|1.5米", "1.8m|1.8米", priced=True)
VOLUME = _dim("volume", "容量", "30ml|30毫升", "50ml|50毫升", "100ml|100毫升", priced=True)
SKIN = _dim("skin type", "肤质", "dry|干性", "oily|油性", "combination|混合性",
            "sensitive|敏感肌")
SCENT = _dim("scent", "香型", "unscented|无香", "lavender|薰衣草", "citrus|柑橘",
             "rose|玫瑰", "green tea|绿茶")
SHADE = _dim("shade", "色号", "ivory|象牙白", "natural|自然色", "beige|米色", "rose|玫瑰色",
             "coral|珊瑚色")
WEIGHT = _dim("weight", "重量", "2kg|2公斤", "5kg|5公斤", "10kg|10公斤", "20kg|20公斤",
              priced=True)
BOOK_FORMAT = _dim("format", "版本", "paperback|平装", "hardcover|精装", priced=True)
BOOK_LANGUAGE = _dim("language", "语言", "Chinese|中文", "English|英文")
AGE = _dim("age", "适用年龄", "3+|3岁以上", "6+|6岁以上", "8+|8岁以上", "12+|12岁以上")
PIECES = _dim("pieces", "颗粒数", "300 pieces|300颗粒", "800 pieces|800颗粒",
              "1500 pieces|1500颗粒", priced=True)
BAND = _dim("band", "表带", "silicone|硅胶", "leather|皮革", "metal|金属")
FIT = _dim("fit", "版型", "slim|修身", "regular|常规", "loose|宽松")

CATEGORIES = (
    Category("electronics", "Electronics", "数码电子", 12, True,
             "12-month warranty against manufacturing defects; free repair within warranty.",
             "自签收之日起 12 个月内非人为质量问题免费保修。"),
    Category("phones", "Phones & Accessories", "手机及配件", 12, True,
             "12-month warranty on phones and accessories; free repair within warranty.",
             "手机及配件享 12 个月质保，质保期内免费维修。"),
    Category("computers", "Computers & Peripherals", "电脑及外设", 24, True,
             "24-month warranty; free repair or replacement of faulty parts.",
             "电脑及外设享 24 个月质保，故障部件免费维修或更换。"),
    Category("home_appliances", "Home Appliances", "家用电器", 24, True,
             "24-month warranty with home or mail-in repair.",
             "家用电器享 24 个月全国联保，支持上门或寄修。"),
    Category("kitchen", "Kitchen", "厨房用品", 12, True,
             "12-month warranty on electrical kitchenware; cookware against defects.",
             "厨房电器及厨具享 12 个月质保。"),
    Category("clothing", "Clothing", "服装", 3, False,
             "3-month quality guarantee: faulty garments are replaced, not repaired.",
             "3 个月质量保证：有质量问题的服装予以更换，不提供维修。"),
    Category("shoes", "Shoes", "鞋靴", 6, True,
             "6-month guarantee against sole separation and seam defects; repairs offered.",
             "6 个月质保，开胶、开线等质量问题可免费维修。"),
    Category("beauty", "Beauty & Personal Care", "美妆个护", 12, True,
             "Sealed products may be returned within 7 days; devices have a 12-month warranty.",
             "未拆封商品支持 7 天无理由退货；美容仪器享 12 个月质保。"),
    Category("sports", "Sports & Outdoors", "运动户外", 12, True,
             "12-month warranty on equipment against manufacturing defects.",
             "运动器材享 12 个月质保。"),
    Category("books", "Books", "图书", 1, False,
             "Misprinted or damaged books are replaced within one month.",
             "印刷错误或破损图书一个月内免费更换。"),
    Category("toys", "Toys & Games", "玩具", 6, False,
             "6-month quality guarantee: faulty toys are replaced.",
             "6 个月质量保证：有质量问题的玩具予以更换。"),
    Category("furniture", "Furniture", "家具", 36, True,
             "36-month warranty on frames and mechanisms; repairs at home.",
             "家具框架及五金件享 36 个月质保，提供上门维修。"),
)

BRANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "electronics": (("Aurora", "极光"), ("Sonora", "声悦"), ("Voltix", "伏特")),
    "phones": (("Lumio", "朗米"), ("Orbit", "轨迹"), ("Zenith", "天顶")),
    "computers": (("Keystone", "基石"), ("Pixelon", "像素"), ("Nimbus", "云帆")),
    "home_appliances": (("Homely", "家悦"), ("Breezo", "清风"), ("Warmly", "暖居")),
    "kitchen": (("ChefMate", "厨伴"), ("Cookwell", "好厨"), ("Jadeware", "玉器坊")),
    "clothing": (("Urban Thread", "都市织"), ("Maple & Co", "枫叶"), ("Linen Lane", "麻巷")),
    "shoes": (("Stride", "步履"), ("Cloudstep", "云步"), ("Trailhead", "远径")),
    "beauty": (("Lotus Dew", "莲露"), ("Pure Bloom", "纯萃"), ("Silkskin", "丝肌")),
    "sports": (("Summit", "峰顶"), ("Pacer", "领跑"), ("Riverstone", "溪石")),
    "books": (("Bamboo Press", "竹简出版社"), ("Lantern Books", "灯塔图书")),
    "toys": (("Playnest", "乐巢"), ("Tiny Titans", "小巨人"), ("BrickWorks", "积木工坊")),
    "furniture": (("Oakhaven", "橡居"), ("Nordlys", "北光"), ("Loftline", "阁线")),
}

SERIES = ("", "Pro", "Lite", "Max", "Plus", "Air", "Mini", "S2", "X1")

T = ProductType
PRODUCT_TYPES = (
    # Electronics
    T("electronics", "Wireless Earbuds", "无线蓝牙耳机",
      "True wireless earbuds with active noise cancelling and 30-hour battery with the case.",
      "真无线蓝牙耳机，支持主动降噪，配合充电盒续航 30 小时。", (COLOR,), (199, 1299)),
    T("electronics", "Over-Ear Headphones", "头戴式耳机",
      "Comfortable over-ear headphones with deep bass and foldable design.",
      "头戴式耳机，低音浑厚，佩戴舒适，可折叠收纳。", (COLOR, CONNECT), (299, 2499)),
    T("electronics", "Bluetooth Speaker", "蓝牙音箱",
      "Portable waterproof Bluetooth speaker with 360-degree sound.",
      "便携防水蓝牙音箱，360 度环绕音效。", (COLOR,), (149, 999)),
    T("electronics", "Smart Watch", "智能手表",
      "Smart watch with heart-rate, sleep and SpO2 tracking and 14-day battery.",
      "智能手表，支持心率、睡眠、血氧监测，续航 14 天。", (COLOR, BAND), (499, 2999)),
    T("electronics", "Action Camera", "运动相机",
      "4K action camera with image stabilisation, waterproof to 10 metres.",
      "4K 运动相机，防抖，裸机防水 10 米。", (COLOR, STORAGE), (999, 3499)),
    T("electronics", "E-Reader", "电子书阅读器",
      "6-inch e-ink reader with warm front light, weeks of battery life.",
      "6 英寸墨水屏电子书阅读器，暖光阅读灯，续航数周。", (COLOR, STORAGE), (599, 1699)),
    # Phones & accessories
    T("phones", "Smartphone", "智能手机",
      "6.7-inch OLED smartphone with triple camera and 5G.",
      "6.7 英寸 OLED 屏 5G 智能手机，后置三摄。", (COLOR, STORAGE), (1999, 7999)),
    T("phones", "Phone Case", "手机壳",
      "Slim shock-absorbing phone case with raised edges to protect the camera.",
      "轻薄防摔手机壳，镜头加高保护。", (COLOR, MATERIAL), (29, 129)),
    T("phones", "Fast Charger", "快充充电器",
      "65W GaN fast charger with USB-C and USB-A ports.",
      "65W 氮化镓快充充电器，USB-C 与 USB-A 双口。", (COLOR,), (79, 299)),
    T("phones", "Power Bank", "充电宝",
      "Compact power bank with 22.5W fast charging and LED display.",
      "小巧移动电源，支持 22.5W 快充，带电量显示屏。", (COLOR, CAPACITY_MAH), (79, 399)),
    T("phones", "USB-C Cable", "USB-C 数据线",
      "Braided USB-C cable supporting 100W charging and fast data transfer.",
      "编织 USB-C 数据线，支持 100W 快充与高速传输。", (COLOR, LENGTH), (19, 99)),
    T("phones", "Screen Protector", "钢化膜",
      "Tempered glass screen protector, 9H hardness, bubble-free installation.",
      "9H 硬度钢化玻璃膜，无气泡贴合。", (MATERIAL,), (19, 69)),
    # Computers & peripherals
    T("computers", "Laptop", "笔记本电脑",
      "Thin and light laptop with all-day battery and a high-resolution display.",
      "轻薄笔记本电脑，长续航，高分辨率屏幕。", (COLOR, MEMORY, SCREEN), (3999, 12999)),
    T("computers", "Mechanical Keyboard", "机械键盘",
      "Mechanical keyboard with hot-swappable switches and RGB backlight.",
      "机械键盘，支持热插拔轴体，RGB 背光。", (COLOR, SWITCH, CONNECT), (199, 899)),
    T("computers", "Wireless Mouse", "无线鼠标",
      "Ergonomic wireless mouse with silent clicks and a 6-month battery.",
      "人体工学无线鼠标，静音按键，续航 6 个月。", (COLOR, CONNECT), (59, 399)),
    T("computers", "Monitor", "显示器",
      "IPS monitor with 99% sRGB colour and adjustable stand.",
      "IPS 显示器，99% sRGB 色域，支架可升降。", (MONITOR,), (899, 3999)),
    T("computers", "Portable SSD", "移动固态硬盘",
      "Pocket-size portable SSD with read speeds up to 1050 MB/s.",
      "口袋大小的移动固态硬盘，读取速度最高 1050 MB/s。", (COLOR, STORAGE), (299, 1599)),
    T("computers", "Webcam", "网络摄像头",
      "1080p webcam with dual microphones and a privacy shutter.",
      "1080p 高清摄像头，双麦克风，带隐私遮挡盖。", (COLOR,), (149, 599)),
    # Home appliances
    T("home_appliances", "Robot Vacuum", "扫地机器人",
      "Robot vacuum with laser navigation, mopping and automatic dust emptying.",
      "激光导航扫地机器人，扫拖一体，自动集尘。", (COLOR,), (1499, 4999)),
    T("home_appliances", "Air Purifier", "空气净化器",
      "HEPA air purifier that removes 99.97% of particles, quiet night mode.",
      "HEPA 空气净化器，可去除 99.97% 颗粒物，夜间静音模式。", (COLOR, FURNITURE_SIZE),
      (699, 3299)),
    T("home_appliances", "Hair Dryer", "吹风机",
      "High-speed ionic hair dryer with three heat settings.",
      "高速负离子吹风机，三档温度调节。", (COLOR, POWER), (199, 1999)),
    T("home_appliances", "Electric Fan", "电风扇",
      "Quiet DC tower fan with remote control and 12 speeds.",
      "直流变频塔扇，静音运行，遥控操作，12 档风速。", (COLOR,), (199, 899)),
    T("home_appliances", "Humidifier", "加湿器",
      "Ultrasonic humidifier with top filling and a humidity sensor.",
      "超声波加湿器，上加水设计，智能恒湿。", (COLOR, CAPACITY_L), (149, 699)),
    T("home_appliances", "Space Heater", "取暖器",
      "Ceramic space heater with tip-over protection and thermostat.",
      "PTC 陶瓷取暖器，倾倒断电保护，恒温控制。", (COLOR, POWER), (199, 799)),
    # Kitchen
    T("kitchen", "Electric Kettle", "电热水壶",
      "Fast-boil electric kettle with temperature control and keep-warm.",
      "快速烧水电热水壶，可调温保温。", (COLOR, CAPACITY_L), (99, 499)),
    T("kitchen", "Rice Cooker", "电饭煲",
      "Smart rice cooker with induction heating and a non-stick inner pot.",
      "IH 电磁加热智能电饭煲，不粘内胆。", (COLOR, CAPACITY_L), (299, 1599)),
    T("kitchen", "Air Fryer", "空气炸锅",
      "Oil-free air fryer with a visible window and 8 presets.",
      "无油空气炸锅，可视窗口，8 种预设菜单。", (COLOR, CAPACITY_L), (299, 999)),
    T("kitchen", "Frying Pan", "炒锅",
      "Non-stick frying pan that works on gas and induction hobs.",
      "不粘炒锅，燃气灶电磁炉通用。", (KITCHEN_MATERIAL, FURNITURE_SIZE), (129, 599)),
    T("kitchen", "Knife Set", "刀具套装",
      "Five-piece knife set of forged steel with a wooden block.",
      "锻打钢刀具五件套，配实木刀座。", (KITCHEN_MATERIAL,), (199, 899)),
    T("kitchen", "Blender", "破壁机",
      "High-speed blender for smoothies, soy milk and soups.",
      "高速破壁料理机，可做果昔、豆浆和浓汤。", (COLOR, POWER), (299, 1299)),
    T("kitchen", "Vacuum Flask", "保温杯",
      "Double-wall vacuum flask that keeps drinks hot for 12 hours.",
      "双层真空保温杯，保温 12 小时。", (COLOR, CAPACITY_L), (59, 259)),
    # Clothing
    T("clothing", "T-Shirt", "T恤",
      "Soft crew-neck T-shirt for every day.",
      "柔软圆领 T 恤，日常百搭。", (COLOR, CLOTH_SIZE, MATERIAL), (59, 199)),
    T("clothing", "Down Jacket", "羽绒服",
      "Lightweight 90% down jacket, water-repellent and packable.",
      "90% 白鸭绒轻薄羽绒服，防泼水，可收纳。", (COLOR, CLOTH_SIZE), (399, 1599)),
    T("clothing", "Jeans", "牛仔裤",
      "Stretch denim jeans with a comfortable fit.",
      "弹力牛仔裤，穿着舒适。", (COLOR, CLOTH_SIZE, FIT), (159, 499)),
    T("clothing", "Hoodie", "连帽卫衣",
      "Brushed fleece hoodie with a kangaroo pocket.",
      "加绒连帽卫衣，袋鼠口袋设计。", (COLOR, CLOTH_SIZE), (129, 399)),
    T("clothing", "Dress", "连衣裙",
      "Flowing midi dress for work and weekends.",
      "飘逸中长款连衣裙，通勤休闲皆宜。", (COLOR, CLOTH_SIZE, MATERIAL), (199, 899)),
    T("clothing", "Wool Sweater", "羊毛衫",
      "Fine-knit merino wool sweater, warm and breathable.",
      "细针美利奴羊毛衫，保暖透气。", (COLOR, CLOTH_SIZE), (299, 999)),
    # Shoes
    T("shoes", "Running Shoes", "跑步鞋",
      "Cushioned running shoes with a breathable mesh upper.",
      "缓震跑步鞋，透气网面鞋身。", (COLOR, SHOE_SIZE), (299, 1299)),
    T("shoes", "Hiking Boots", "登山靴",
      "Waterproof hiking boots with grippy rubber soles.",
      "防水登山靴，橡胶大底抓地力强。", (COLOR, SHOE_SIZE), (499, 1599)),
    T("shoes", "Canvas Sneakers", "帆布鞋",
      "Classic canvas sneakers, lightweight and easy to match.",
      "经典帆布鞋，轻便百搭。", (COLOR, SHOE_SIZE), (99, 399)),
    T("shoes", "Leather Loafers", "皮质乐福鞋",
      "Genuine leather loafers with a cushioned insole.",
      "真皮乐福鞋，软垫鞋垫。", (COLOR, SHOE_SIZE), (399, 1299)),
    T("shoes", "Slippers", "拖鞋",
      "Soft non-slip home slippers.",
      "柔软防滑居家拖鞋。", (COLOR, SHOE_SIZE), (29, 129)),
    # Beauty & personal care
    T("beauty", "Moisturising Cream", "保湿面霜",
      "Hydrating face cream with hyaluronic acid and ceramides.",
      "玻尿酸神经酰胺保湿面霜，深层补水。", (SKIN, VOLUME), (99, 699)),
    T("beauty", "Sunscreen", "防晒霜",
      "Lightweight SPF50+ PA++++ sunscreen, water resistant.",
      "SPF50+ PA++++ 轻薄防晒霜，防水防汗。", (VOLUME,), (79, 299)),
    T("beauty", "Electric Toothbrush", "电动牙刷",
      "Sonic electric toothbrush with 5 modes and a 60-day battery.",
      "声波电动牙刷，5 种模式，续航 60 天。", (COLOR,), (149, 699)),
    T("beauty", "Shampoo", "洗发水",
      "Gentle sulphate-free shampoo for daily use.",
      "温和无硅油洗发水，适合日常使用。", (SCENT, VOLUME), (39, 159)),
    T("beauty", "Lipstick", "口红",
      "Long-lasting matte lipstick that does not dry the lips.",
      "持久哑光口红，不拔干。", (SHADE,), (89, 399)),
    T("beauty", "Facial Cleanser", "洗面奶",
      "Amino-acid facial cleanser that cleans without tightness.",
      "氨基酸洗面奶，洁净不紧绷。", (SKIN, VOLUME), (49, 199)),
    # Sports & outdoors
    T("sports", "Yoga Mat", "瑜伽垫",
      "Non-slip TPE yoga mat, 6 mm thick, with a carry strap.",
      "TPE 防滑瑜伽垫，6 毫米厚，附赠背带。", (COLOR,), (69, 299)),
    T("sports", "Dumbbell Set", "哑铃套装",
      "Adjustable dumbbell set with anti-slip grips.",
      "可调节哑铃套装，防滑握把。", (WEIGHT,), (99, 1299)),
    T("sports", "Camping Tent", "露营帐篷",
      "Two-person waterproof tent that pitches in three minutes.",
      "双人防雨帐篷，三分钟快速搭建。", (COLOR, FURNITURE_SIZE), (299, 1899)),
    T("sports", "Road Bike Helmet", "骑行头盔",
      "Lightweight ventilated cycling helmet with rear light.",
      "轻量透气骑行头盔，带尾灯。", (COLOR, CLOTH_SIZE), (149, 699)),
    T("sports", "Badminton Racket", "羽毛球拍",
      "Full carbon badminton racket for attacking play.",
      "全碳素进攻型羽毛球拍。", (COLOR,), (129, 899)),
    T("sports", "Hiking Backpack", "登山背包",
      "Hiking backpack with rain cover and ventilated back panel.",
      "登山背包，附防雨罩，透气背板。", (COLOR, CAPACITY_L), (199, 999)),
    # Books
    T("books", "Novel", "小说", "A much-loved novel in a new edition.", "广受喜爱的小说新版。",
      (BOOK_FORMAT, BOOK_LANGUAGE), (39, 129),
      titles=(("The Silent River", "静静的河"), ("City of Lanterns", "灯笼之城"),
              ("Letters from Hangzhou", "杭州来信"), ("The Last Tea Merchant", "最后的茶商"))),
    T("books", "Cookbook", "菜谱", "Home cooking recipes with step-by-step photos.",
      "家常菜谱，步骤图详解。", (BOOK_FORMAT,), (49, 168),
      titles=(("Everyday Chinese Cooking", "家常中国菜"), ("Dumplings and More", "饺子与点心"),
              ("Quick Weeknight Meals", "快手晚餐"))),
    T("books", "Children's Picture Book", "儿童绘本",
      "A beautifully illustrated picture book for bedtime reading.",
      "精美插画绘本，适合睡前亲子共读。", (BOOK_FORMAT, BOOK_LANGUAGE), (29, 99),
      titles=(("The Little Panda's Big Day", "小熊猫的大日子"),
              ("Moon Rabbit", "月亮上的兔子"), ("Where Do Clouds Go?", "云朵去哪儿了？"))),
    T("books", "Programming Guide", "编程指南",
      "A practical programming guide with exercises.",
      "实用编程指南，附练习题。", (BOOK_FORMAT, BOOK_LANGUAGE), (69, 199),
      titles=(("Python from Zero", "零基础学 Python"), ("Data Science in Practice",
                                                         "数据科学实战"))),
    # Toys
    T("toys", "Building Blocks", "积木",
      "Creative building block set compatible with major brands.",
      "创意拼搭积木套装，兼容主流品牌。", (PIECES, AGE), (99, 899)),
    T("toys", "Remote Control Car", "遥控车",
      "High-speed off-road remote control car with rechargeable battery.",
      "高速越野遥控车，可充电电池。", (COLOR, AGE), (149, 599)),
    T("toys", "Plush Toy", "毛绒玩具",
      "Super-soft plush toy, machine washable.",
      "超柔软毛绒玩具，可机洗。", (COLOR, FURNITURE_SIZE), (49, 299)),
    T("toys", "Jigsaw Puzzle", "拼图",
      "Landscape jigsaw puzzle printed on thick board.",
      "风景拼图，厚纸板印刷。", (PIECES,), (39, 199)),
    T("toys", "Board Game", "桌游",
      "Family board game for 2-6 players.",
      "适合 2-6 人的家庭桌游。", (AGE, BOOK_LANGUAGE), (79, 399)),
    # Furniture
    T("furniture", "Office Chair", "办公椅",
      "Ergonomic office chair with lumbar support and adjustable armrests.",
      "人体工学办公椅，腰部支撑，扶手可调。", (COLOR,), (499, 2999)),
    T("furniture", "Standing Desk", "升降桌",
      "Electric standing desk with memory presets.",
      "电动升降桌，高度记忆。", (COLOR, FURNITURE_SIZE), (1299, 3999)),
    T("furniture", "Bookshelf", "书架",
      "Five-tier solid wood bookshelf.",
      "五层实木书架。", (WOOD,), (299, 1499)),
    T("furniture", "Sofa", "沙发",
      "Three-seat fabric sofa with removable covers.",
      "三人位布艺沙发，可拆洗。", (COLOR, FURNITURE_SIZE), (1999, 7999)),
    T("furniture", "Bed Frame", "床架",
      "Solid wood bed frame with under-bed storage.",
      "实木床架，床下储物。", (WOOD, BED_SIZE), (1299, 4999)),
    T("furniture", "Coffee Table", "茶几",
      "Minimalist coffee table with a storage shelf.",
      "简约茶几，带储物层。", (WOOD,), (299, 1299)),
)
