"""What a logger wrote during a test, as records (their `extra` fields are attributes)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def kept_log_records(logger_name: str, level: int = logging.INFO) -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=level)
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
