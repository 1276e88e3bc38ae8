"""The assistant: one call per customer message.

``Assistant.handle(conversation_id, text, customer_token=None)`` takes the conversation's
lock, rebuilds its state from the stored events, parses the message, lets the policy
decide (store operations run through :func:`kefu.tools.call_tool` and their rule checks),
renders the replies and appends the turn's events, masked, to the tracker store.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kefu.dialogue.context import (
    LANGUAGE_OVERRIDE_SLOT,
    REPLY_LANGUAGE_SLOT,
    Services,
    Turn,
)
from kefu.dialogue.events import (
    BotUttered,
    ConversationRestarted,
    ConversationStarted,
    CustomerVerified,
    SlotSet,
    user_uttered_from_parse,
)
from kefu.dialogue.state import ConversationState, fold
from kefu.dialogue.types import TurnResult
from kefu.errors import InvalidInput, KefuError, Unauthorized
from kefu.privacy.sealing import Sealer

if TYPE_CHECKING:
    from kefu.dialogue.trackers import TrackerStore
    from kefu.dialogue.understanding import Understander
    from kefu.knowledge.source import KnowledgeSource
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder
    from kefu.settings import Settings
    from kefu.store import Store

log = logging.getLogger(__name__)


@dataclass
class Components:
    """Everything the assistant runs on; build one with :func:`build_components`."""

    store: Store
    tracker: TrackerStore
    nlu: Understander
    secret_key: str
    max_message_chars: int = 2000
    channel: str | None = None
    # the store's policies and FAQ; None: knowledge questions get "I can't answer that"
    knowledge: KnowledgeSource | None = None


def store_catalog(store: Store) -> list[Any]:
    """The store's product names, for the entity extractor's product matching."""
    from sqlalchemy import select

    from kefu.nlu.entities.catalog import CatalogProduct
    from kefu.store.models import Product

    with store.session() as session:
        rows = session.execute(select(Product.id, Product.name, Product.name_zh)).all()
    return [CatalogProduct(product_id=r[0], name_en=r[1], name_zh=r[2] or "") for r in rows]


def build_components(settings: Settings, *, nlu: Understander | None = None,
                     tracker: TrackerStore | None = None, store: Store | None = None,
                     background: bool = False) -> Components:
    """The configured store, tracker store, NLU model (loaded from disk) and knowledge
    base (opened on the first question that needs it, sharing the NLU model's encoder).

    ``background=True`` loads the model in a thread (the first message waits for it), so
    an interactive chat can show its prompt at once; the knowledge base then opens in a
    thread too, once the model is loaded.
    """
    from kefu.dialogue.setup import model_is_ready
    from kefu.dialogue.trackers import open_tracker_store
    from kefu.dialogue.understanding import (
        BackgroundUnderstander,
        default_model_dir,
        load_understander,
    )
    from kefu.errors import ModelNotReady
    from kefu.store import open_store

    store = store or open_store(settings.store_url)
    tracker = tracker or open_tracker_store(settings)
    if nlu is None:
        model_dir = default_model_dir(settings)
        if not model_is_ready(model_dir):
            raise ModelNotReady(f"no trained NLU model at {model_dir}",
                                hint="run `kefu demo` (it trains one) or `kefu train`")
        catalog = store_catalog(store)

        def load() -> Understander:
            understander = load_understander(model_dir, catalog=catalog,
                                             backend=settings.nlu_backend)
            if background:
                # Presidio loads on first use; warm it here so the first message holding
                # a phone or an email does not wait for it.
                from kefu.privacy.masking import get_masker

                get_masker().mask("13800138000 kefu@example.com")
            return understander

        nlu = BackgroundUnderstander(load) if background else load()
    from kefu.knowledge.source import KnowledgeSource

    parser = nlu
    knowledge = KnowledgeSource.from_settings(settings, lambda: retrieval_encoder(parser))
    if background:
        knowledge.open_in_background()
    return Components(store=store, tracker=tracker, nlu=nlu, secret_key=settings.secret_key,
                      max_message_chars=settings.max_message_chars, knowledge=knowledge)


def retrieval_encoder(nlu: Understander) -> SentenceEncoder | OnnxSentenceEncoder | None:
    """The intent model's encoder when knowledge retrieval can share it: a frozen head on
    the prepared e5 encoder, run by PyTorch or by ONNX Runtime in fp32 (the same
    embeddings; a fine-tuned encoder is tuned for intents, not retrieval, and int8 weights
    would not match an index embedded in fp32). None: the knowledge base loads the
    prepared encoder itself."""
    from kefu.dialogue.understanding import BackgroundUnderstander
    from kefu.nlu.encoder import SentenceEncoder
    from kefu.nlu.encoder.onnx import OnnxSentenceEncoder

    parser = nlu.wait() if isinstance(nlu, BackgroundUnderstander) else nlu
    classifier = getattr(parser, "classifier", None)
    if classifier is None or getattr(classifier, "metadata", {}).get("kind") != "frozen":
        return None
    encoder = getattr(classifier, "encoder", None)
    if isinstance(encoder, SentenceEncoder):
        return encoder
    if isinstance(encoder, OnnxSentenceEncoder) and encoder.backend == "onnx":
        return encoder
    return None


class Assistant:
    """kefu's dialogue engine over a store, a tracker store and an NLU model."""

    def __init__(self, components: Components) -> None:
        from kefu.store.policy import load_policy

        self.components = components
        with components.store.session() as session:
            policy = load_policy(session)
        names = {p.product_id: (p.name_en, p.name_zh) for p in store_catalog(components.store)}
        self.services = Services(store=components.store, policy=policy,
                                 sealer=Sealer(components.secret_key), product_names=names,
                                 knowledge=components.knowledge,
                                 text_encoder=lambda: retrieval_encoder(components.nlu))

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        from kefu.settings import get_settings

        return cls(build_components(settings or get_settings(), **overrides))

    # -- public API ------------------------------------------------------------------------
    def handle(self, conversation_id: str, text: str, customer_token: str | None = None,
               message_id: str | None = None) -> TurnResult:
        """Answer one customer message. Raises Unauthorized for a bad customer token.

        ``message_id`` (the client's id of the message) is recorded on the stored message,
        so that a channel can recognise a retry of it."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("the message is empty", hint="send the customer's text")
        limit = self.components.max_message_chars
        if len(text) > limit:
            raise InvalidInput(f"the message has {len(text)} characters; the limit is {limit}",
                               hint="raise max_message_chars or split the message")
        token_customer = self._token_customer(customer_token)
        started = time.perf_counter()
        tracker = self.components.tracker
        with tracker.lock(conversation_id):
            events = tracker.events(conversation_id)
            state = fold(events)
            parse = self.components.nlu.parse(text.strip())
            lang = self._language(state, parse.text, parse.language)
            turn = Turn(conversation_id, state, parse, self.services, lang)
            if not events:
                turn.add(ConversationStarted(customer_id=token_customer,
                                             channel=self.components.channel))
            uttered = user_uttered_from_parse(parse, message_id=message_id)
            if turn.intent != parse.intent.name:  # too unsure: logged as not understood
                uttered = dataclasses.replace(uttered, intent=turn.intent)
            turn.add(uttered)
            if lang != state.slots.get(REPLY_LANGUAGE_SLOT):
                turn.add(SlotSet(name=REPLY_LANGUAGE_SLOT, value=lang))
            if token_customer is not None:
                if state.verified and state.customer_id != token_customer:
                    raise Unauthorized("the customer token names another customer than the "
                                       "one verified in this conversation",
                                       hint="start a new conversation for that customer")
                if not state.verified:
                    turn.add(CustomerVerified(customer_id=token_customer, method="token"))
            from kefu.dialogue.policy import decide

            try:
                decide(turn)
            except KefuError as exc:  # a store refusal no flow expected: say so, stay up
                log.warning("turn %s: %s", conversation_id, exc)
                turn.say("internal_problem")
            if not turn.replies:
                turn.say("anything_else")
            for reply in turn.replies:
                turn.add(BotUttered(text=reply.text, buttons=reply.buttons))
            tracker.append(conversation_id, turn.events)
        pending = turn.state.pending_confirmation
        log.debug("turn %s: %s (%.3f) in %.0f ms", conversation_id, parse.intent.name,
                  parse.intent.confidence, (time.perf_counter() - started) * 1000)
        return TurnResult(conversation_id=conversation_id, replies=tuple(turn.replies),
                          parse=parse, language=lang, handoff=turn.handoff,
                          actions=tuple(turn.actions), customer_id=turn.customer_id,
                          verified=turn.state.verified,
                          awaiting_confirmation=str(pending["action"]) if pending else None)

    def state(self, conversation_id: str) -> ConversationState:
        return fold(self.components.tracker.events(conversation_id))

    def reset(self, conversation_id: str) -> None:
        """Forget the conversation so far (the log keeps it, after a restart marker)."""
        self.components.tracker.append(conversation_id, [ConversationRestarted()])

    def set_language(self, conversation_id: str, lang: str | None) -> None:
        """Force replies in ``lang`` ("en"/"zh"), or follow the customer again (None)."""
        if lang not in (None, "en", "zh"):
            raise InvalidInput(f"language must be 'en', 'zh' or None, got {lang!r}")
        self.components.tracker.append(conversation_id,
                                       [SlotSet(name=LANGUAGE_OVERRIDE_SLOT, value=lang)])

    def close(self) -> None:
        close_nlu = getattr(self.components.nlu, "close", None)
        if callable(close_nlu):
            close_nlu()
        if self.components.knowledge is not None:
            # settled, not closed: a knowledge source may serve other assistants (the
            # conversation test runner shares one); the process exit frees it
            self.components.knowledge.settle()
        self.components.tracker.close()

    # -- helpers ---------------------------------------------------------------------------
    def _token_customer(self, token: str | None) -> str | None:
        if token is None:
            return None
        from kefu.identity import verify_customer_token

        return verify_customer_token(token, self.components.secret_key)

    @staticmethod
    def _language(state: ConversationState, text: str, detected: str) -> str:
        override = state.slots.get(LANGUAGE_OVERRIDE_SLOT)
        if override in ("en", "zh"):
            return str(override)
        previous = state.slots.get(REPLY_LANGUAGE_SLOT)
        # "ok", "yes" or a bare order id in a Chinese conversation do not switch it
        latin = len(re.findall(r"[A-Za-z]{2,}", text))
        cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
        says_little = latin + (1 if cjk else 0) <= 1 and cjk <= 2
        if detected in ("en", "zh") and (not says_little or previous is None):
            return detected
        return str(previous) if previous in ("en", "zh") else "zh"
