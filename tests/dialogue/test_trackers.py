"""One contract for every tracker store backend: SQLite, PostgreSQL and Redis.

Each test takes ``tracker_url`` (tests/dialogue/conftest.py) and so runs on all three
backends; a new backend only has to add itself to that fixture.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kefu.dialogue.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from kefu.dialogue.state import fold
from kefu.dialogue.trackers import (
    ConversationLocked,
    TrackerStore,
    conversation_state,
    open_raw_tracker_store,
    open_tracker_store,
)
from kefu.dialogue.trackers.masking import MaskingTrackerStore, mask_event
from kefu.errors import ConfigError, DataFormatError, InvalidInput
from kefu.nlu.types import Entity
from kefu.privacy import PiiMasker
from tests.dialogue.test_events_state import sample_events


@pytest.fixture
def store(tracker_url: str) -> Iterator[TrackerStore]:
    store = open_raw_tracker_store(tracker_url)
    yield store
    store.close()


def raw_rows(url: str, conversation_id: str) -> list[str]:
    """What the backend holds for a conversation, read without kefu's decoding."""
    if url.startswith("redis"):
        import redis

        from kefu.dialogue.trackers.redis_store import DEFAULT_KEY_PREFIX, split_key_prefix

        bare, prefix = split_key_prefix(url)
        client = redis.Redis.from_url(bare)
        try:
            key = f"{prefix or DEFAULT_KEY_PREFIX}events:{conversation_id}"
            return [item.decode() for item in client.lrange(key, 0, -1)]
        finally:
            client.close()
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(
                text("SELECT data FROM kefu_conversation_events WHERE conversation_id = :c "
                     "ORDER BY seq"), {"c": conversation_id}).scalars())
    finally:
        engine.dispose()


def turn(worker: int, n: int) -> list:
    """The three events of one turn, tagged with who wrote them."""
    tag = f"w{worker}-t{n}"
    return [UserUttered(text=tag, intent="order_status", confidence=1.0),
            ActionExecuted(name="lookup", args={"tag": tag}, result=tag),
            BotUttered(text=tag)]


def run_turns(store: TrackerStore, conversation_id: str, worker: int, turns: int) -> None:
    """Each turn reads the log, then appends its events one by one under the lock."""
    for n in range(turns):
        with store.lock(conversation_id, timeout=30):
            seen = len(store.events(conversation_id))
            for event in turn(worker, n):
                store.append(conversation_id, [event])
                time.sleep(0.001)  # give another writer every chance to cut in
            assert len(store.events(conversation_id)) == seen + 3


def hold_lock_forever(url: str, conversation_id: str, held: Any) -> None:
    store = open_raw_tracker_store(url)
    with store.lock(conversation_id):
        held.set()
        time.sleep(600)  # killed by the test long before


def process_worker(url: str, conversation_id: str, worker: int, turns: int) -> None:
    store = open_raw_tracker_store(url)
    try:
        run_turns(store, conversation_id, worker, turns)
    finally:
        store.close()


def assert_whole_turns(events: list, workers: int, turns: int) -> None:
    assert len(events) == workers * turns * 3, "events were lost"
    tags = []
    for i in range(0, len(events), 3):
        user, action, bot = events[i:i + 3]
        assert isinstance(user, UserUttered) and isinstance(action, ActionExecuted)
        assert isinstance(bot, BotUttered)
        assert user.text == action.args["tag"] == bot.text, "a turn was interleaved"
        tags.append(user.text)
    assert sorted(tags) == sorted(f"w{w}-t{n}" for w in range(workers) for n in range(turns))
    for w in range(workers):  # each worker's turns stay in its own order
        mine = [t for t in tags if t.startswith(f"w{w}-")]
        assert mine == [f"w{w}-t{n}" for n in range(turns)]


class TestTrackerStoreContract:
    def test_append_and_read_in_order(self, store: TrackerStore) -> None:
        events = sample_events()
        store.append("c1", events[:3])
        store.append("c1", events[3:5])
        store.append("c1", [])
        store.append("c1", events[5:])
        assert store.events("c1") == events
        assert store.exists("c1")
        assert store.event_count("c1") == len(events)

    def test_every_event_type_round_trips(self, store: TrackerStore) -> None:
        events = sample_events()
        store.append("all-types", events)
        again = store.events("all-types")
        assert again == events
        assert [type(e) for e in again] == [type(e) for e in events]

    def test_unknown_conversation(self, store: TrackerStore) -> None:
        assert store.events("nobody") == []
        assert not store.exists("nobody")
        assert store.event_count("nobody") == 0
        assert not store.delete("nobody")

    def test_many_conversations_are_kept_apart_and_listed(self, store: TrackerStore) -> None:
        for i in range(12):
            store.append(f"conv-{i:02d}", [SlotSet(name="i", value=i)] * (i + 1))
            time.sleep(0.002)  # distinct update times
        for i in (0, 5, 11):
            assert [e.value for e in store.events(f"conv-{i:02d}")] == [i] * (i + 1)
        listed = store.list_conversations(limit=100)
        assert [s.conversation_id for s in listed] == [f"conv-{i:02d}" for i in
                                                        reversed(range(12))]
        assert {s.conversation_id: s.event_count for s in listed} == {
            f"conv-{i:02d}": i + 1 for i in range(12)}
        assert all(s.created_at <= s.updated_at for s in listed)
        page = store.list_conversations(limit=5, offset=5)
        assert [s.conversation_id for s in page] == [s.conversation_id for s in listed[5:10]]
        assert store.list_conversations(limit=5, offset=50) == []
        # an append moves a conversation to the top
        store.append("conv-00", [SlotSet(name="i", value="again")])
        assert store.list_conversations(limit=1)[0].conversation_id == "conv-00"

    def test_delete(self, store: TrackerStore) -> None:
        store.append("gone", sample_events()[:2])
        store.append("kept", sample_events()[:1])
        assert store.delete("gone")
        assert not store.exists("gone") and store.events("gone") == []
        assert [s.conversation_id for s in store.list_conversations()] == ["kept"]
        store.append("gone", sample_events()[:1])  # the id can start afresh
        assert len(store.events("gone")) == 1

    def test_chinese_and_unusual_ids(self, store: TrackerStore) -> None:
        cid = "wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M/会话 1"
        store.append(cid, [BotUttered(text="您好！有什么可以帮您？")])
        assert store.events(cid)[0].text == "您好！有什么可以帮您？"
        assert store.exists(cid)

    def test_bad_arguments_are_refused(self, store: TrackerStore) -> None:
        with pytest.raises(InvalidInput, match="non-empty string"):
            store.append("", [BotUttered(text="x")])
        with pytest.raises(InvalidInput, match="the limit is 128"):
            store.events("x" * 129)
        with pytest.raises(InvalidInput, match="limit must be greater than 0, got 0"):
            store.list_conversations(limit=0)
        with pytest.raises(InvalidInput, match="offset must be 0 or more, got -1"):
            store.list_conversations(offset=-1)
        with pytest.raises(InvalidInput, match="lock timeout"):
            store.lock("c", timeout=-1).__enter__()

    def test_survives_a_restart(self, tracker_url: str) -> None:
        first = open_raw_tracker_store(tracker_url)
        events = sample_events()[:-1]  # a conversation mid-way, not restarted
        first.append("restart-me", events[:4])
        before = conversation_state(first, "restart-me")
        first.close()

        second = open_raw_tracker_store(tracker_url)
        try:
            assert conversation_state(second, "restart-me") == before
            second.append("restart-me", events[4:])
            assert second.events("restart-me") == events
            assert conversation_state(second, "restart-me") == fold(events)
        finally:
            second.close()

    def test_threads_never_interleave_a_turn(self, store: TrackerStore) -> None:
        workers, turns = 3, 8
        errors: list[BaseException] = []

        def work(w: int) -> None:
            try:
                run_turns(store, "busy", w, turns)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert_whole_turns(store.events("busy"), workers, turns)

    def test_each_append_is_atomic_even_without_the_lock(self, store: TrackerStore) -> None:
        workers, appends = 4, 15

        def work(w: int) -> None:
            for n in range(appends):
                store.append("racy", [SlotSet(name=f"w{w}", value=n),
                                      BotUttered(text=f"w{w}-{n}")])

        threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        events = store.events("racy")
        assert len(events) == workers * appends * 2, "an append was lost"
        for slot, bot in zip(events[::2], events[1::2], strict=True):
            assert isinstance(slot, SlotSet) and isinstance(bot, BotUttered)
            assert bot.text == f"{slot.name}-{slot.value}", "an append was split"
        assert store.list_conversations()[0].event_count == len(events)

    @pytest.mark.slow
    def test_processes_never_interleave_a_turn(self, tracker_url: str,
                                               store: TrackerStore) -> None:
        workers, turns = 2, 8
        store.append("shared", [])  # the tables / keys exist before the workers start
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=process_worker, args=(tracker_url, "shared", w, turns))
                 for w in range(workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0] * workers
        assert_whole_turns(store.events("shared"), workers, turns)

    @pytest.mark.slow
    def test_a_crashed_worker_does_not_keep_the_lock(self, tracker_url: str,
                                                     store: TrackerStore) -> None:
        if tracker_url.startswith("redis"):  # Redis frees it when the lease ends
            sep = "&" if "?" in tracker_url else "?"
            tracker_url = f"{tracker_url}{sep}lock_lease=3"
        ctx = multiprocessing.get_context("spawn")
        held = ctx.Event()
        proc = ctx.Process(target=hold_lock_forever, args=(tracker_url, "crash", held))
        proc.start()
        try:
            assert held.wait(120), "the worker never took the lock"
            with pytest.raises(ConversationLocked), store.lock("crash", timeout=0.1):
                pass
        finally:
            proc.kill()
            proc.join(30)
        with store.lock("crash", timeout=5):
            store.append("crash", [BotUttered(text="after the crash")])
        assert store.events("crash")[-1].text == "after the crash"

    def test_lock_timeout_raises_a_clear_error(self, store: TrackerStore) -> None:
        held, release = threading.Event(), threading.Event()

        def holder() -> None:
            with store.lock("locked"):
                held.set()
                release.wait(10)

        thread = threading.Thread(target=holder)
        thread.start()
        try:
            assert held.wait(10)
            start = time.monotonic()
            with pytest.raises(ConversationLocked,
                               match=r"conversation 'locked' is busy.*0\.2 s"), \
                    store.lock("locked", timeout=0.2):
                pass
            waited = time.monotonic() - start
            assert 0.15 <= waited < 3, waited
            with pytest.raises(ConversationLocked), store.lock("locked", timeout=0):
                pass
            with store.lock("other", timeout=0.2):  # other conversations are not blocked
                pass
        finally:
            release.set()
            thread.join()
        with store.lock("locked", timeout=1):  # free again once released
            pass
        assert ConversationLocked.status_code == 409

    def test_lock_is_released_when_the_turn_fails(self, store: TrackerStore) -> None:
        with pytest.raises(RuntimeError), store.lock("failing"):
            raise RuntimeError("the turn broke")
        with store.lock("failing", timeout=1):
            pass

    def test_only_masked_personal_data_is_persisted(self, tracker_url: str,
                                                    masker: PiiMasker) -> None:
        store = open_tracker_store(url=tracker_url, masker=masker)
        assert isinstance(store, MaskingTrackerStore)
        text = "我的手机13812345678，邮箱john.doe@example.com，订单#W1234567"
        phone_at = text.index("13812345678")
        order_at = text.index("#W1234567")
        try:
            store.append("pii", [
                UserUttered(text=text, intent="order_status", confidence=0.9, language="zh",
                            entities=(
                                Entity("phone", "+8613812345678", phone_at, phone_at + 11,
                                       "13812345678"),
                                Entity("order_id", "#W1234567", order_at, order_at + 9,
                                       "#W1234567"),
                                Entity("address", "Maple Drive", 0, 0, "Maple Drive"))),
                SlotSet(name="contact", value={"phone": "13812345678",
                                               "emails": ["john.doe@example.com"]}),
                ActionExecuted(name="find_user_id_by_email",
                               args={"email": "john.doe@example.com"},
                               result="found john.doe@example.com"),
                BotUttered(text="We will call 13812345678."),
            ])
            rows = "\n".join(raw_rows(tracker_url, "pii"))
            assert rows.count("138****5678") >= 4 and "j***@example.com" in rows
            for raw in ("13812345678", "john.doe", "Maple Drive"):
                assert raw not in rows
            assert "#W1234567" in rows  # order ids stay readable

            user, slot, action, bot = store.events("pii")
            assert isinstance(user, UserUttered)
            assert user.text == "我的手机138****5678，邮箱j***@example.com，订单#W1234567"
            phone, order, address = user.entities
            assert (phone.value, phone.text) == ("+86138****5678", "138****5678")
            assert user.text[phone.start:phone.end] == "138****5678"
            assert user.text[order.start:order.end] == order.value == "#W1234567"
            assert address.value == "<ADDRESS>"
            assert slot.value == {"phone": "138****5678", "emails": ["j***@example.com"]}
            assert action.args == {"email": "j***@example.com"}
            assert bot.text == "We will call 138****5678."
        finally:
            store.close()


def test_mask_event_leaves_clean_events_alone(masker: PiiMasker) -> None:
    for event in sample_events():
        assert mask_event(event, masker) == event


def test_personal_keys_are_masked_whatever_their_value(masker: PiiMasker) -> None:
    action = ActionExecuted(
        name="modify_pending_order_address",
        args={"order_id": "#W1234567", "address1": "445 Maple Drive", "address2": "Suite 394",
              "city": "Fort Worth", "state": "TX", "zip": "76165",
              "contacts": [{"phone": "555 0132"}, {"email": "x@y.org"}]})
    masked = mask_event(action, masker)
    assert isinstance(masked, ActionExecuted)
    assert masked.args == {
        "order_id": "#W1234567", "address1": "<ADDRESS>", "address2": "<ADDRESS>",
        "city": "Fort Worth", "state": "TX", "zip": "76165",
        "contacts": [{"phone": "5** 0132"}, {"email": "x***@y.org"}]}
    slot = mask_event(SlotSet(name="phone", value="13812345678"), masker)
    assert isinstance(slot, SlotSet) and slot.value == "138****5678"
    for event in (action, slot, SlotSet(name="address2", value="Suite 394")):
        once = mask_event(event, masker)
        assert mask_event(once, masker) == once  # masking twice changes nothing


def test_sealed_tokens_are_kept_and_anything_else_under_their_key_is_masked(
        masker: PiiMasker) -> None:
    from kefu.privacy.sealing import SEALED_KEY, Sealer

    token = Sealer("secret").seal({"address1": "445 Maple Drive"}, context="c/address")
    sealed = mask_event(SlotSet(name=SEALED_KEY, value={"address": token,
                                                        "phone": "13812345678"}), masker)
    assert isinstance(sealed, SlotSet)
    assert sealed.value == {"address": token, "phone": "138****5678"}
    pending = mask_event(SlotSet(name="_pending_confirmation", value={
        "action": "modify_user_address", "args": {"address1": "445 Maple Drive"},
        SEALED_KEY: token}), masker)
    assert isinstance(pending, SlotSet) and isinstance(pending.value, dict)
    assert pending.value[SEALED_KEY] == token
    assert pending.value["args"] == {"address1": "<ADDRESS>"}


def test_unsupported_url_names_the_fix() -> None:
    with pytest.raises(ConfigError, match="unsupported tracker store URL 'mongodb://x'"):
        open_raw_tracker_store("mongodb://x")


def test_default_url_is_a_sqlite_file_in_home(tmp_path, monkeypatch) -> None:
    from kefu.settings import load_settings

    settings = load_settings(home=tmp_path)
    assert settings.tracker_store_url == f"sqlite:///{tmp_path / 'conversations.db'}"
    pg = "postgresql+psycopg://u@h/shop"
    assert load_settings(home=tmp_path, database_url=pg).tracker_store_url == pg
    assert load_settings(home=tmp_path, database_url=pg,
                         tracker_url="redis://h:6379/1").tracker_store_url == "redis://h:6379/1"
    monkeypatch.setenv("KEFU_TRACKER_URL", f"sqlite:///{tmp_path / 't.db'}")
    store = open_tracker_store(load_settings(), mask=False)
    try:
        store.append("c", [BotUttered(text="hi")])
        assert (tmp_path / "t.db").is_file()
    finally:
        store.close()


def test_corrupt_row_is_reported(tmp_path) -> None:
    from sqlalchemy import text

    from kefu.dialogue.trackers.sql_store import SqlTrackerStore

    store = SqlTrackerStore(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        store.append("c", [BotUttered(text="hi")])
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE kefu_conversation_events SET data = "
                              "'{\"type\": \"hologram\", \"v\": 1}'"))
        with pytest.raises(DataFormatError, match="unknown event type 'hologram'"):
            store.events("c")
    finally:
        store.close()
