"""Answers beyond a single order: the store's policies and FAQ as a searchable knowledge base.

Markdown files (one topic per file, Chinese and/or English) are chunked by heading,
indexed incrementally (SQLite, or PostgreSQL when configured) and searched with BM25
(jieba for Chinese) and e5 embeddings, fused (the dense score plus a little BM25); answers
quote the best section in the customer's language and name their source. The dialogue
holds a :class:`~kefu.knowledge.source.KnowledgeSource`, opened on first need. See
docs/knowledge.md.
"""

from kefu.knowledge.base import (
    KnowledgeBase,
    RetrievalOptions,
    default_index_url,
    default_kb_dir,
)
from kefu.knowledge.types import Answer, Chunk, IndexReport, Passage, Source

__all__ = [
    "Answer",
    "Chunk",
    "IndexReport",
    "KnowledgeBase",
    "Passage",
    "RetrievalOptions",
    "Source",
    "default_index_url",
    "default_kb_dir",
]
