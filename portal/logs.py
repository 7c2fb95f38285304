"""Structured logs (kernel): one JSON object per line on stdout, for the log collector."""

import json
import logging
import re
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else passed with ``extra=`` is added to the line.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


# Path segments that carry one-time secrets (the password-reset link) never reach the logs.
_SECRET_PATHS = re.compile(r"(/restablecer/)(?!enviado/|listo/)[^/]+/[^/]+/")


def redact_path(path: str) -> str:
    return _SECRET_PATHS.sub(r"\1[oculto]/", path)
