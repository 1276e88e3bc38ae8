"""The demo shop's promotions and coupon templates (bilingual), dated around its reference
date: some running, some over, some to come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PromotionSpec:
    id: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    kind: str
    value: str
    threshold: str | None
    scope: str
    scope_values: tuple[str, ...]
    starts: str
    ends: str

    def window(self) -> tuple[datetime, datetime]:
        return (datetime.fromisoformat(self.starts + "T00:00:00+00:00"),
                datetime.fromisoformat(self.ends + "T00:00:00+00:00"))


P = PromotionSpec
# "{product:laptop}" in scope_values is replaced by the id of the demo's first laptop, etc.
PROMOTIONS = (
    P("double11_2026", "Singles' Day: spend ¥300, get ¥50 off", "双十一满减：满300减50",
      "Spend ¥300 or more on anything and get ¥50 off.", "全场商品满 300 元立减 50 元。",
      "threshold", "50", "300", "all", (), "2026-10-20", "2026-11-12"),
    P("digital_2000_200", "Electronics & appliances: ¥200 off ¥2000",
      "数码家电满2000减200",
      "Spend ¥2000 on electronics or home appliances and get ¥200 off.",
      "数码电子、家用电器满 2000 元减 200 元。",
      "threshold", "200", "2000", "category", ("electronics", "home_appliances"),
      "2026-10-25", "2026-11-30"),
    P("winter_clothing_20", "Winter clothing 20% off", "冬装8折",
      "20% off all clothing this winter.", "冬季服装全场 8 折。",
      "percentage", "20", None, "category", ("clothing",), "2026-10-15", "2027-02-28"),
    P("aurora_brand_day", "Aurora brand days: 15% off", "极光品牌日85折",
      "15% off every Aurora product.", "极光品牌全线商品 85 折。",
      "percentage", "15", None, "brand", ("Aurora",), "2026-10-30", "2026-11-03"),
    P("laptop_direct_300", "¥300 off this laptop", "笔记本直降300元",
      "A direct ¥300 discount on a selected laptop.", "指定笔记本电脑直降 300 元。",
      "fixed", "300", None, "product", ("{product:Laptop}",), "2026-10-01", "2027-01-31"),
    P("books_100_20", "Books: ¥20 off every ¥100", "图书满100减20",
      "Spend ¥100 on books and get ¥20 off.", "图书满 100 元减 20 元。",
      "threshold", "20", "100", "category", ("books",), "2026-09-01", "2027-03-31"),
    P("national_day_10", "National Day 10% off", "国庆全场9折",
      "10% off everything during the National Day holiday.", "国庆期间全场 9 折。",
      "percentage", "10", None, "all", (), "2026-10-01", "2026-10-08"),
    P("shoes_618", "618: ¥30 off every pair of shoes", "618鞋靴每双立减30",
      "¥30 off each pair of shoes during the 618 sale.", "618 大促期间鞋靴每双立减 30 元。",
      "fixed", "30", None, "category", ("shoes",), "2026-06-01", "2026-06-19"),
    P("summer_furniture", "Summer furniture: ¥300 off ¥3000", "夏日家具满3000减300",
      "Spend ¥3000 on furniture and get ¥300 off.", "家具满 3000 元减 300 元。",
      "threshold", "300", "3000", "category", ("furniture",), "2026-07-01", "2026-09-01"),
    P("double12_2026", "12.12: spend ¥500, get ¥80 off", "双十二满500减80",
      "Spend ¥500 or more and get ¥80 off on 12.12.", "双十二全场满 500 元减 80 元。",
      "threshold", "80", "500", "all", (), "2026-12-10", "2026-12-14"),
    P("new_year_beauty", "New Year beauty 12% off", "元旦美妆88折",
      "12% off beauty and personal care over New Year.", "元旦期间美妆个护 88 折。",
      "percentage", "12", None, "category", ("beauty",), "2026-12-28", "2027-01-04"),
    P("spring_playnest", "Spring Festival: ¥20 off Playnest toys", "春节乐巢玩具立减20",
      "¥20 off each Playnest toy for the Spring Festival.", "春节期间乐巢玩具每件立减 20 元。",
      "fixed", "20", None, "brand", ("Playnest",), "2027-02-01", "2027-02-21"),
)


@dataclass(frozen=True)
class CouponSpec:
    name_en: str
    name_zh: str
    kind: str
    value: str
    threshold: str
    max_discount: str | None
    scope: str
    scope_values: tuple[str, ...]


C = CouponSpec
COUPONS = (
    C("¥20 off orders over ¥199", "满199减20", "fixed", "20", "199", None, "all", ()),
    C("¥50 off orders over ¥500", "满500减50", "fixed", "50", "500", None, "all", ()),
    C("10% off, up to ¥100", "9折券（最高减100）", "percentage", "10", "0", "100", "all", ()),
    C("Electronics 5% off, up to ¥200", "数码95折券（最高减200）", "percentage", "5", "0", "200",
      "category", ("electronics", "phones", "computers")),
    C("Welcome coupon: ¥10 off", "新人券：立减10元", "fixed", "10", "0", None, "all", ()),
    C("Clothing: ¥40 off ¥300", "服装满300减40", "fixed", "40", "300", None, "category",
      ("clothing",)),
    C("Kitchen 8% off, up to ¥80", "厨房用品92折（最高减80）", "percentage", "8", "100", "80",
      "category", ("kitchen",)),
)
