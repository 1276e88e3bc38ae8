"""Registering store operations as tools and calling them with validated JSON arguments.

An operation is a plain typed function whose first parameter is the :class:`Store`::

    @tool(writes=True)
    def cancel_pending_order(store: Store, order_id: str, reason: CancelReason) -> OrderView:
        '''Cancel a pending order. ...

        Args:
            order_id: The order id, such as '#W0000000'.
            reason: Why the customer cancels.
        '''

Its JSON Schema (the form LLM function calling uses) is derived from the signature and the
docstring's ``Args:`` section; its result is converted to JSON through pydantic.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, get_type_hints

from pydantic import ConfigDict, TypeAdapter, ValidationError, create_model

from kefu.errors import InvalidInput, NotFound

_REGISTRY: dict[str, Tool] = {}
_MODULES = (
    # Modules whose import registers built-in tools. Each adds its @tool functions.
    "kefu.store.operations",
    "kefu.recommend.tools",
)


def _parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into its description and per-argument help."""
    doc = inspect.cleandoc(doc or "")
    parts = re.split(r"^\s*Args:\s*$", doc, maxsplit=1, flags=re.MULTILINE)
    description = parts[0].strip()
    args: dict[str, str] = {}
    if len(parts) == 2:
        section = re.split(r"^\s*(Returns|Raises):\s*$", parts[1], maxsplit=1,
                           flags=re.MULTILINE)[0]
        current = None
        for line in section.splitlines():
            match = re.match(r"^\s{0,8}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", line)
            if match and (current is None or not line.startswith(" " * 8)):
                current = match.group(1)
                args[current] = match.group(2).strip()
            elif current and line.strip():
                args[current] += " " + line.strip()
    return description, args


@dataclass(frozen=True)
class Tool:
    """One store operation exposed as a tool."""

    name: str
    func: Callable[..., Any]
    description: str
    writes: bool
    arg_help: dict[str, str] = field(default_factory=dict)

    @cached_property
    def args_model(self) -> Any:
        """The pydantic model of the arguments, built once per tool (building it costs
        about as much as a store read, and every call validates with it)."""
        hints = get_type_hints(self.func)
        fields: dict[str, Any] = {}
        for name, param in list(inspect.signature(self.func).parameters.items())[1:]:
            default = ... if param.default is inspect.Parameter.empty else param.default
            from pydantic import Field

            fields[name] = (hints[name], Field(default, description=self.arg_help.get(name)))
        return create_model(f"{self.name}_args", __config__=ConfigDict(extra="forbid"),
                            **fields)

    def parameters_schema(self) -> dict[str, Any]:
        schema = self.args_model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        schema.setdefault("required", [])
        return schema

    def schema(self) -> dict[str, Any]:
        """The OpenAI function-calling schema of this tool."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters_schema(),
            },
        }

    def validate(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Check and convert JSON arguments; raise InvalidInput naming each bad argument."""
        if not isinstance(kwargs, dict):
            raise InvalidInput(f"{self.name}: arguments must be a JSON object, "
                               f"got {type(kwargs).__name__}")
        try:
            model = self.args_model.model_validate(kwargs)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
                for err in exc.errors()
            )
            raise InvalidInput(f"{self.name}: invalid arguments: {problems}",
                               hint=f"see `kefu tools list --name {self.name}`") from None
        return {name: getattr(model, name) for name in type(model).model_fields}

    def call(self, store: Any, kwargs: dict[str, Any]) -> Any:
        """Validate ``kwargs``, run the operation and return its JSON-ready result."""
        result = self.func(store, **self.validate(kwargs))
        return to_jsonable(result)


def to_jsonable(value: Any) -> Any:
    if value is None:
        return None
    if callable(getattr(value, "to_json", None)):
        # Store views drop their unset extras, so a tau-bench record reads as tau-bench's.
        return value.to_json()
    if isinstance(value, list):  # a list of views: each as it reads alone
        return [to_jsonable(v) for v in value]
    return _adapter(type(value)).dump_python(value, mode="json")


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(kind: type) -> TypeAdapter[Any]:
    """One pydantic adapter per result type (building one costs more than using it)."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def tool(*, writes: bool = False, name: str | None = None) -> Callable[[Callable[..., Any]],
                                                                        Callable[..., Any]]:
    """Register a store operation as a tool (used as a decorator)."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        description, arg_help = _parse_docstring(func.__doc__ or "")
        tool_name = name or func.__name__
        if not description:
            raise TypeError(f"tool {tool_name} needs a docstring: it is its description")
        _REGISTRY[tool_name] = Tool(tool_name, func, description, writes, arg_help)
        return func

    return register


def _load_builtins() -> None:
    import importlib

    for module in _MODULES:
        importlib.import_module(module)


def all_tools() -> list[Tool]:
    _load_builtins()
    return sorted(_REGISTRY.values(), key=lambda t: t.name)


def get_tool(name: str) -> Tool:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise NotFound(f"unknown tool {name!r}", hint=f"known tools: {known}") from None


def call_tool(store: Any, name: str, kwargs: dict[str, Any]) -> Any:
    """Call the tool ``name`` on ``store`` with JSON arguments."""
    return get_tool(name).call(store, kwargs)
