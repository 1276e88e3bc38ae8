"""A calculator for the agent: arithmetic on numbers, parsed with ``ast`` (never ``eval``)."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable

from kefu.errors import InvalidInput
from kefu.store.db import Store
from kefu.tools import tool

MAX_LENGTH = 500
_ALLOWED_CHARS = set("0123456789+-*/(). ")
_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {
    ast.UAdd: operator.pos, ast.USub: operator.neg,
}


def evaluate(expression: str) -> float:
    """The value of an arithmetic expression of numbers, + - * /, and parentheses.

    Numbers are Python ints and floats, combined as Python would, so results are those of
    a pocket calculator (and of tau-bench's own calculate tool).
    """
    if len(expression) > MAX_LENGTH:
        raise InvalidInput(f"the expression is {len(expression)} characters long; "
                           f"at most {MAX_LENGTH} are allowed")
    bad = sorted(set(expression) - _ALLOWED_CHARS)
    if bad:
        raise InvalidInput(f"invalid characters in expression: {''.join(bad)!r}",
                           hint="use numbers, + - * /, parentheses and spaces")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise InvalidInput(f"malformed expression {expression!r}") from None
    return _value(tree.body, expression)


def _value(node: ast.AST, expression: str) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        # ints stay ints, as in Python (and tau-bench's calculator): 7 / 2 is 3.5, 2 * 3 is 6
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left, expression), _value(node.right, expression)
        try:
            return _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise InvalidInput(f"division by zero in {expression!r}") from None
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand, expression))
    raise InvalidInput(f"unsupported operation in {expression!r}",
                       hint="only + - * / and parentheses are supported")


@tool()
def calculate(store: Store, expression: str) -> float:
    """Calculate the value of an arithmetic expression, rounded to 2 decimals. Use it for
    totals, refunds and price differences instead of computing in your head.

    Args:
        expression: The expression, such as '2 + 2' or '(148.5 - 99.99) * 2'. It can
            contain numbers, the operators + - * /, parentheses and spaces.
    """
    try:
        value = float(evaluate(expression))
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise InvalidInput(f"the value of {expression!r} is too large")
    return round(value, 2)
