"""The one root exception of kefu and its families.

Every error says what was wrong and, where it can, how to fix it. Errors that reach a
client over HTTP carry the status code they should be answered with.
"""

from __future__ import annotations


class KefuError(Exception):
    """Root of every error kefu raises on purpose."""

    status_code: int = 500
    code: str = "kefu_error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class ConfigError(KefuError):
    """A setting is missing, malformed or unsafe."""

    status_code = 500
    code = "config_error"


class InvalidInput(KefuError):
    """An argument or a request is malformed (wrong type, wrong id format, empty value)."""

    status_code = 422
    code = "invalid_input"


class NotFound(KefuError):
    """A customer, order, item or other record does not exist."""

    status_code = 404
    code = "not_found"


class RuleViolation(KefuError):
    """A store rule forbids the action (e.g. cancelling a delivered order)."""

    status_code = 409
    code = "rule_violation"


class DataFormatError(KefuError):
    """An input file (store data, training data, conversations) is invalid.

    The message names the file, the line where known, and what is wrong.
    """

    status_code = 422
    code = "data_format_error"

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message, hint=hint)
        self.path = path
        self.line = line


class ModelNotReady(KefuError):
    """A model directory is missing or incomplete."""

    status_code = 503
    code = "model_not_ready"


class BackendUnavailable(KefuError):
    """A database, Redis or other backend cannot be reached."""

    status_code = 503
    code = "backend_unavailable"


class Unauthorized(KefuError):
    """Credentials or a customer token are missing, wrong or expired."""

    status_code = 401
    code = "unauthorized"
