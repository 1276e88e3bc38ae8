"""An agent takes over a conversation in the console while the customer chats in the
widget (two browser contexts), replies live, and hands it back to kefu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_widget import Widget
from tests.channels.conftest import AGENT_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_agent_take_over(browser: Any, live_server: str, shop: Any, tmp_path: Path) -> None:
    from kefu.agents import AgentDirectory

    AgentDirectory(shop[0]).add("alice", password=AGENT_PASSWORD)
    customer = browser.new_context(viewport={"width": 390, "height": 844})
    page = customer.new_page()
    page.goto(f"{live_server}/")
    widget = Widget(page)
    widget.open()
    handed = " ".join(widget.say("I want to talk to a human"))
    assert "human" in handed

    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    agent.goto(f"{live_server}/agent")
    agent.fill("#login input[name=name]", "alice")
    agent.fill("#login input[name=password]", AGENT_PASSWORD)
    agent.click("#login button[type=submit]")
    agent.locator(".queue-item").first.wait_for(timeout=15000)
    agent.locator(".queue-item").first.click()
    agent.locator(".line.customer", has_text="I want to talk to a human").wait_for()
    assert "last message" in agent.locator("#summary").inner_text()
    agent.click("#take")
    agent.locator("#reply").wait_for(state="visible")

    page.locator(".kf-system", has_text="alice").wait_for(timeout=15000)  # joined notice
    agent.fill("#reply textarea", "Hi, I'm Alice from the service team. How can I help?")
    agent.click("#reply button[type=submit]")
    page.locator(".kf-agent", has_text="I'm Alice").wait_for(timeout=15000)

    box = page.locator(".kf-form textarea")
    box.fill("My parcel arrived damaged")
    box.press("Enter")
    agent.locator(".line.customer", has_text="arrived damaged").wait_for(timeout=15000)
    assert page.locator(".kf-typing.on").count() == 0
    shots = (tmp_path / "agent-console.png", tmp_path / "customer-with-agent.png")
    agent.screenshot(path=str(shots[0]))
    page.screenshot(path=str(shots[1]))
    print(f"screenshots: {shots[0]} {shots[1]}")

    agent.click("#handback")
    agent.locator("#take").wait_for(state="visible")
    page.locator(".kf-system", has_text="back with the kefu assistant").wait_for(timeout=15000)
    after = widget.say("what promotions do you have?")
    assert after and page.locator(".kf-agent").count() == 1
    customer.close()
