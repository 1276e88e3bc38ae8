"""A new address from a message: street, city, state and zip, English or Chinese style."""

from __future__ import annotations

import re

_ZIP_EN = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
_ZIP_ZH = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_STATE_ZIP = re.compile(r"^\s*([A-Za-z][A-Za-z .]*?)\s+(\d{5})(?:-\d{4})?\s*$")
_ZH_PROVINCE = re.compile(r"^(.{2,7}?(?:省|自治区|特别行政区)|北京市|上海市|天津市|重庆市)")
_ZH_CITY = re.compile(r"^(.{2,8}?(?:市|自治州|地区|盟))")
_ZH_UNIT = re.compile(r"(.*?号)(.*)$")
_COUNTRIES = {"usa": "USA", "us": "USA", "united states": "USA", "china": "China",
              "中国": "China"}


def _clean(text: str) -> str:
    return text.strip().strip(".,;。，；")


def parse_address(text: str, *, country: str = "USA") -> dict[str, str] | None:
    """Address fields found in ``text``; "zip" is "" when it is missing. None: no address."""
    if re.search(r"[\u4e00-\u9fff]", text) and re.search(r"省|市|区|县|路|街|号", text):
        return _parse_chinese(text)
    return _parse_english(text, country)


def _parse_chinese(text: str) -> dict[str, str] | None:
    zip_match = _ZIP_ZH.search(text)
    zip_code = zip_match.group(1) if zip_match else ""
    body = _ZIP_ZH.sub("", text)
    body = re.sub(r"邮编[:：]?", "", body)
    start = re.search(r"[\u4e00-\u9fff]{2,}(?:省|自治区|市)", body)
    if start is None:
        return None
    body = re.sub(r"[\s，,。；;：:]", "", body[start.start():])
    for lead in ("新地址是", "地址改为", "改为", "改成", "换成", "地址是"):
        if lead in body:
            body = body.split(lead, 1)[1]
    state = city = ""
    match = _ZH_PROVINCE.match(body)
    if match:
        state = match.group(1)
        body = body[match.end():]
    match = _ZH_CITY.match(body)
    if match:
        city = match.group(1)
        body = body[match.end():]
    if state in ("北京市", "上海市", "天津市", "重庆市") and not city:
        city = state
    if not body:
        return None
    unit = _ZH_UNIT.match(body)
    address1, address2 = (unit.group(1), unit.group(2)) if unit else (body, "")
    return {"address1": address1, "address2": address2, "city": city or state,
            "state": state or city, "country": "China", "zip": zip_code}


def _parse_english(text: str, country: str) -> dict[str, str] | None:
    body = text
    number = re.search(r"\b\d+[A-Za-z]?\s+[A-Za-z]", body)
    if number is None:
        return None
    body = body[number.start():]
    parts = [_clean(p) for p in re.split(r",|\n", body) if _clean(p)]
    if parts and parts[-1].lower() in _COUNTRIES:
        country = _COUNTRIES[parts.pop().lower()]
    zip_code, state = "", ""
    if parts:
        match = _STATE_ZIP.match(parts[-1])
        if match:
            state, zip_code = match.group(1).strip(), match.group(2)
            parts.pop()
        else:
            lone_zip = _ZIP_EN.fullmatch(parts[-1])
            if lone_zip:
                zip_code = lone_zip.group(1)
                parts.pop()
            if parts and re.fullmatch(r"[A-Z]{2}", parts[-1]):
                state = parts.pop()
    if len(parts) < 2:
        return None
    address1 = parts[0]
    city = parts[-1]
    address2 = ", ".join(parts[1:-1])
    if not state:
        return None
    return {"address1": address1, "address2": address2, "city": city, "state": state,
            "country": country, "zip": zip_code}


def find_zip(text: str) -> str | None:
    match = _ZIP_ZH.search(text) or _ZIP_EN.search(text)
    return match.group(1) if match else None
