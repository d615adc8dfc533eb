"""A small evaluator of GitHub Actions expressions (``${{ … }}``), enough for the workflow
tests to say which value a step receives: context paths (``inputs.publish``,
``vars.REFRESH_PUBLISH``), string, boolean and null literals, parentheses, ``!``, ``==``,
``!=``, ``&&`` and ``||``. As on GitHub, ``||`` and ``&&`` return an operand (not a boolean),
a missing context value is null, and strings compare ignoring case. One simplification: values
of different types are never equal (GitHub compares them as numbers, which for the strings
these workflows compare is never equal either).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(r"\s*(\|\||&&|==|!=|!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.-]*)")


def _tokens(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    found: list[str] = []
    at = 0
    while text[at:].strip():
        match = _TOKEN.match(text, at)
        if match is None:
            raise ValueError(f"cannot read the expression at {text[at:]!r}")
        found.append(match.group(1))
        at = match.end()
    return found


def _truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return type(left) is type(right) and bool(left == right)


class _Parser:
    def __init__(self, tokens: list[str], context: dict[str, Any]) -> None:
        self.tokens, self.context, self.at = tokens, context, 0

    def take(self) -> str:
        self.at += 1
        return self.tokens[self.at - 1]

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def either(self) -> Any:
        return self.chain("||", self.both, lambda left, right: left if _truthy(left) else right)

    def both(self) -> Any:
        return self.chain("&&", self.compare, lambda left, right: right if _truthy(left) else left)

    def chain(
        self, operator: str, operand: Callable[[], Any], pick: Callable[[Any, Any], Any]
    ) -> Any:
        """Left to right: ``operand (operator operand)*``, each pair reduced by ``pick``."""
        value = operand()
        while self.peek() == operator:
            self.take()
            value = pick(value, operand())
        return value

    def compare(self) -> Any:
        value = self.unary()
        operator = self.peek()
        if operator in ("==", "!="):
            self.take()
            same = _equal(value, self.unary())
            return same if operator == "==" else not same
        return value

    def unary(self) -> Any:
        token = self.take()
        if token == "!":
            return not _truthy(self.unary())
        if token == "(":
            inner = self.either()
            if self.take() != ")":
                raise ValueError("unbalanced parentheses")
            return inner
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        literals: dict[str, Any] = {"true": True, "false": False, "null": None}
        if token in literals:
            return literals[token]
        value: Any = self.context
        for part in token.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """The value of ``expression`` (with or without ``${{ }}``) in ``context``."""
    parser = _Parser(_tokens(expression), context)
    value = parser.either()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()!r} in {expression!r}")
    return value
