"""Conversation tests: YAML scripts of user turns played against the assistant.

``load_conversations(paths)`` reads them, ``ConversationRunner().run_all(specs)`` plays
each on a fresh copy of its store and reports task success; see docs/conversation-tests.md.
"""

from kefu.dialogue.testing.runner import ConversationResult, ConversationRunner, RunReport
from kefu.dialogue.testing.spec import ConversationSpec, TurnSpec, load_conversations

__all__ = ["ConversationResult", "ConversationRunner", "ConversationSpec", "RunReport",
           "TurnSpec", "load_conversations"]
