"""gunicorn's access log as JSON lines (``logger_class`` in gunicorn.conf.py)."""

from gunicorn.glogging import Logger

from .logs import redact_path


class GunicornJsonLogger(Logger):
    """Method, path without secrets, status, duration and client as separate JSON fields."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        path = redact_path(environ.get("PATH_INFO", ""))
        status = getattr(resp, "status_code", None)
        duration_ms = round(request_time.total_seconds() * 1000, 1)
        self.access_log.info(
            "%s %s %s",
            environ.get("REQUEST_METHOD", ""),
            path,
            status,
            extra={
                "http_method": environ.get("REQUEST_METHOD", ""),
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "bytes": getattr(resp, "sent", None),
                "remote_addr": environ.get("REMOTE_ADDR", ""),
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
                "user_agent": environ.get("HTTP_USER_AGENT", "")[:200],
            },
        )
