"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py portal.wsgi``.

Every value can be changed through the environment (docs/operations.md). The app servers are
stateless (sessions in PostgreSQL, files in the configured storage), so any number of them may
run behind the load balancer, which terminates TLS and sends X-Forwarded-Proto.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# One worker per core plus one: pages spend their time on the CPU (templates, ORM), not waiting.
# `make bench` on 2 cores, 20 people: with 3 workers 10 and 12 of the 15 pages stayed under 300 ms
# at p95 (two runs); with the classic 2 x cores + 1 (5 workers) only 2 to 7 (four runs), the extra
# processes fighting PostgreSQL and each other for the cores.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # PDF rendering is the slowest request
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
# Addresses of the load balancers whose X-Forwarded-* headers are trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# gunicorn's runtime control socket (in the home folder by default) is not used: processes are
# managed by the platform's supervisor with signals (HUP to reload, TERM to stop).
control_socket_disable = True

# Structured logs on stdout: one JSON object per line, the same shape as the portal's own.
accesslog = "-"
logger_class = "portal.logs_gunicorn.GunicornJsonLogger"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
