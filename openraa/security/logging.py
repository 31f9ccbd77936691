"""Keep personal data out of the logs.

Django's request loggers name the path ("Forbidden (Permission denied): /children/12/") and attach
the request object, which handlers such as AdminEmailHandler expand into POST data and cookies.
Paths carry only ids; query strings (search terms are names) and request bodies never reach a log.
"""

import logging


def strip_query(value):
    if isinstance(value, str) and "?" in value:
        return value.split("?", 1)[0] + "?[redacted]"
    return value


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            request = record.request
            record.request = None  # no handler may expand the body, GET or cookies
            record.path = getattr(request, "path", "")
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: strip_query(arg) for key, arg in record.args.items()}
        record.msg = strip_query(record.msg) if not record.args else record.msg
        return True
