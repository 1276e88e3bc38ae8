"""The single tool layer: store operations as typed, documented, schema-described tools.

The dialogue engine, the HTTP API, the CLI and any LLM agent call operations through
:func:`get_tool` / :func:`call_tool`, so every caller gets the same rule checks.
"""

from kefu.tools.registry import Tool, all_tools, call_tool, get_tool, tool

__all__ = ["Tool", "all_tools", "call_tool", "get_tool", "tool"]
