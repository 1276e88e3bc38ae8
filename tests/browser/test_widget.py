"""The web chat widget in a real headless Chromium: a bilingual conversation that verifies a
customer and cancels an order with quick replies, survives a reload, at phone width."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.dialogue.engine_support import find_shopper, order_status

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]
PHONE = {"width": 390, "height": 844}


class Widget:
    """The chat widget on a page (Playwright's CSS locators see into its shadow root)."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def open(self) -> None:
        self.page.locator(".kf-launch").click()
        self.page.locator(".kf-panel.open").wait_for()

    def bot_texts(self) -> list[str]:
        return [str(t) for t in self.page.locator(".kf-bot").all_inner_texts()]

    def wait_replies(self, before: int, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.bot_texts()
            if len(texts) > before and self.page.locator(".kf-typing.on").count() == 0:
                return texts[before:]
            self.page.wait_for_timeout(100)
        raise AssertionError(f"no reply within {timeout} s; bot said: {self.bot_texts()}")

    def say(self, text: str) -> list[str]:
        before = len(self.bot_texts())
        box = self.page.locator(".kf-form textarea")
        box.fill(text)
        box.press("Enter")
        return self.wait_replies(before)

    def click(self, payload: str) -> list[str]:
        before = len(self.bot_texts())
        self.page.locator(f'.kf-buttons button[data-payload="{payload}"]').click()
        return self.wait_replies(before)

    def button_payloads(self) -> list[str]:
        return [str(b.get_attribute("data-payload"))
                for b in self.page.locator(".kf-buttons button").all()]

    def ui_language(self) -> str:
        return str(self.page.locator("#kefu-widget").get_attribute("data-lang"))


def test_bilingual_conversation_verifies_and_cancels(browser: Any, live_server: str,
                                                     shop: Any, tmp_path: Path) -> None:
    store = shop[0]
    shopper = find_shopper(store, chinese=False, pending=2)
    order_id = shopper.of("pending")[1]["order_id"]
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server}/")
    widget = Widget(page)
    widget.open()
    box = page.locator(".kf-panel").bounding_box()
    assert box and box["width"] == PHONE["width"]  # full screen at phone width
    assert widget.ui_language() == "en"

    widget.say("I want to cancel an order")
    verified = " ".join(widget.say(f"my email is {shopper.email}"))
    assert shopper.first_name in verified
    assert order_id in widget.button_payloads()  # choose an order with a quick reply
    widget.click(order_id)
    assert "ordered by mistake" in widget.button_payloads()  # and a reason
    proposal = " ".join(widget.click("ordered by mistake"))
    assert order_id in proposal and widget.button_payloads() == ["yes", "no"]
    assert order_status(store, order_id) == "pending"
    widget.click("yes")
    assert order_status(store, order_id) == "cancelled"

    chinese = " ".join(widget.say("谢谢！请问现在有什么优惠活动吗？"))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert widget.ui_language() == "zh"  # the UI follows the customer's language
    assert page.locator(".kf-form textarea").get_attribute("placeholder") == "请输入消息…"
    shot = tmp_path / "widget-bilingual.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")

    shown = len(page.locator(".kf-msg").all())
    page.reload()  # reconnecting keeps the conversation
    widget.open()
    page.locator(".kf-customer").first.wait_for()
    restored = page.locator(".kf-customer").all_inner_texts()
    assert restored[0] == "I want to cancel an order" and len(restored) == 6
    assert len(page.locator(".kf-msg").all()) == shown - 1  # all but the local greeting
    assert widget.ui_language() == "zh"
    after = widget.say("好的，再见")
    assert after
    context.close()


def test_offline_messages_are_sent_when_the_connection_returns(browser: Any,
                                                               live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/")
    widget = Widget(page)
    widget.open()
    widget.say("hello")
    context.set_offline(True)
    box = page.locator(".kf-form textarea")
    box.fill("where is my order?")
    box.press("Enter")
    page.locator(".kf-status.on").wait_for(timeout=15000)  # "reconnecting" is shown
    before = len(widget.bot_texts())
    context.set_offline(False)
    replies = widget.wait_replies(before)
    assert replies and page.locator(".kf-status.on").count() == 0
    assert page.locator(".kf-customer").all_inner_texts() == ["hello", "where is my order?"]
    context.close()


def customer_lines(live_server: str, page: Any) -> list[str]:
    import httpx

    cid = page.evaluate("window.kefuWidget.conversation()")
    saved = page.evaluate("JSON.parse(localStorage.getItem('kefu.conversation.' + "
                          "location.origin))")
    transcript = httpx.get(f"{live_server}/api/v1/conversations/{cid}",
                           params={"key": saved["key"]}).json()
    return [x["text"] for x in transcript["lines"] if x["role"] == "customer"]


def test_a_lost_answer_over_the_websocket_is_not_answered_twice(browser: Any,
                                                                live_server: str) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    drops: list[str] = []

    def through(socket: Any) -> None:  # pass frames on; drop the connection at one answer
        server = socket.connect_to_server()

        def to_client(message: Any) -> None:
            if '"event": "done"' in str(message) and "promotions" in str(message) \
                    and not drops:
                drops.append(str(message))
                socket.close()  # the server answered, the widget never hears it
                return
            socket.send(message)

        server.on_message(to_client)

    page.route_web_socket("**/api/v1/chat/ws", through)
    page.goto(f"{live_server}/")
    widget = Widget(page)
    widget.open()
    widget.say("hello")
    assert page.evaluate("window.kefuWidget.transport()") == "websocket"
    replies = widget.say("what promotions do you have?")
    assert drops and replies  # answered after the widget reconnected and sent it again
    assert '"replayed": false' in drops[0]
    assert customer_lines(live_server, page) == ["hello", "what promotions do you have?"]
    assert page.locator(".kf-customer").all_inner_texts() == ["hello",
                                                              "what promotions do you have?"]
    page.context.close()


def test_without_websockets_the_widget_chats_over_http(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script("delete window.WebSocket;")
    page = context.new_page()
    lost: list[int] = []

    def lose_first_answer(route: Any) -> None:
        response = route.fetch()  # the server answers, the answer is lost on the way
        if not lost:
            lost.append(response.status)
            route.abort("connectionreset")
            return
        route.fulfill(response=response)

    page.route("**/api/v1/chat/stream", lose_first_answer)
    page.goto(f"{live_server}/")
    widget = Widget(page)
    widget.open()
    replies = widget.say("hello")
    assert lost == [200] and replies
    assert page.evaluate("window.kefuWidget.transport()") == "sse"
    assert customer_lines(live_server, page) == ["hello"]
    assert len(widget.bot_texts()) == 1 + len(replies)  # the greeting, then one answer
    context.close()
