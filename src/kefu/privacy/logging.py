"""A logging filter that masks personal data in log records.

``install_pii_log_filter()`` puts :class:`PiiLogFilter` on kefu's logger ("kefu") *and on
its handlers*: a filter on a logger only sees records logged to that very logger, while
a filter on a handler sees every record the handler emits, including those of child
loggers such as "kefu.dialogue". Handlers added later need ``handler.addFilter(...)``.

The filter formats the message with its arguments, masks the result and stores it back
with no arguments, so a phone number passed as ``log.info("call %s", phone)`` is masked
too. Exception tracebacks are masked when they are formatted into ``exc_text``.
"""

from __future__ import annotations

import logging

from kefu.privacy.masking import PiiMasker, get_masker


class PiiLogFilter(logging.Filter):
    """Masks the message of every record it sees; never drops a record."""

    def __init__(self, masker: PiiMasker | None = None, name: str = "") -> None:
        super().__init__(name)
        self._masker = masker

    @property
    def masker(self) -> PiiMasker:
        if self._masker is None:
            self._masker = get_masker()
        return self._masker

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_kefu_pii_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for logging to report
            return True
        record.msg = self.masker.mask_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.masker.mask_text(record.exc_text)
        record._kefu_pii_masked = True
        return True


def install_pii_log_filter(logger: logging.Logger | str = "kefu", *,
                           masker: PiiMasker | None = None,
                           warm: bool = True) -> PiiLogFilter:
    """Attach one :class:`PiiLogFilter` to ``logger`` and each of its handlers.

    ``warm`` builds the Presidio engines now (a few seconds once per process) rather than
    on the first log record that holds a digit. Installing twice adds no second filter.
    """
    target = logging.getLogger(logger) if isinstance(logger, str) else logger
    existing = next((f for f in target.filters if isinstance(f, PiiLogFilter)), None)
    pii_filter = existing or PiiLogFilter(masker)
    if warm:
        pii_filter.masker.mask("0")
    if existing is None:
        target.addFilter(pii_filter)
    for handler in target.handlers:
        if pii_filter not in handler.filters:
            handler.addFilter(pii_filter)
    return pii_filter
