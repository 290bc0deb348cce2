"""Log redaction: search terms and citizen-ID-like digit runs never reach the access log."""

from __future__ import annotations

import logging
import re

# The loggers that write request paths: uvicorn's access log, and the outage warning.
REDACTED_LOGGERS = ("uvicorn.access", "sotay.outage")
MASK = "[redacted]"

# Free-text search parameters (as sent, still percent-encoded): the whole value goes.
_SEARCH_PARAM = re.compile(r"(?<=[?&;])(q|query|search)=[^&;#\s]*", re.IGNORECASE)
# A CCCD has 12 digits, an old CMND 9; longer runs are masked too, as they may contain one.
_DIGIT_RUN = re.compile(r"(?<!\d)\d{9,}(?!\d)")


def redact(text: str) -> str:
    """`text` with search-parameter values and runs of 9 or more digits masked."""
    text = _SEARCH_PARAM.sub(lambda m: f"{m.group(1)}={MASK}", text)
    return _DIGIT_RUN.sub(MASK, text)


class RedactFilter(logging.Filter):
    """Rewrites a record's string arguments (uvicorn passes the path and query as one) and
    message; the record keeps its shape, so uvicorn's AccessFormatter still unpacks it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


def install() -> None:
    """Attach the filter to the loggers that write paths (idempotent; run by create_app, which
    uvicorn imports after it has configured logging, in every worker process)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFilter) for f in logger.filters):
            logger.addFilter(RedactFilter())
