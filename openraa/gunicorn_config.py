"""gunicorn's settings for `openraa serve` (`gunicorn --config python:openraa.gunicorn_config`).

No personal data in the logs: the access log has the time, method, path (paths carry only ids),
status, size and duration, never the query string (search terms are names), the referrer (another
page's query string), the client's address or user agent; the error log goes through the filter
Django's loggers use (openraa/security/logging.py). The environment sets the rest (README
"Running it for real")."""

import os

from gunicorn.glogging import Logger

from openraa.security.logging import RedactPersonalDataFilter

wsgi_app = "openraa.wsgi:application"
bind = os.environ.get("OPENRAA_BIND", "0.0.0.0:8000")
# Sync workers, one more than the cores (each holds one database connection). Measured with `openraa
# bench load` (bench/load.md, issue 18): on 2 cores with 150 staff, 3 sync workers answered with p95
# 272 ms where gunicorn's rule of thumb (2 x cores + 1 = 5) gave 635 ms and 3 gthread workers of 4
# threads 687 ms, at the same CPU per request: fewer processes sharing the cores finish each request
# sooner. One more than the cores keeps a slow request (an export) from taking half the server.
workers = int(os.environ.get("OPENRAA_WEB_WORKERS", "0")) or len(os.sched_getaffinity(0)) + 1
timeout = int(os.environ.get("OPENRAA_WEB_TIMEOUT", "60"))
keepalive = 5
# Workers' heartbeat files in memory: a container's overlay disk can stall them into a restart.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True  # gunicorn 27's run-time control socket: unused, so not opened

accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if not any(isinstance(f, RedactPersonalDataFilter) for f in handler.filters):
                handler.addFilter(RedactPersonalDataFilter())


logger_class = RedactingLogger
