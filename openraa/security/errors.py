"""Error reporting to Sentry (or a service that speaks its protocol), off unless OPENRAA_SENTRY_DSN is set.

An error report must carry no more personal data than the logs do (openraa/security/logging.py):
the path (ids only) and the stack trace, never a request body, cookie, header, query string (search
terms are names), the user's name, e-mail or address, nor the local variables of the stack frames
(they hold the records being worked on). sentry-sdk is told not to collect those
(send_default_pii=False, no local variables, no request bodies), and `scrub_event` removes them
again from every event and breadcrumb before it is sent, whatever an integration added.
"""

import copy
from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from openraa.security.logging import strip_query

# Plain dicts here (sentry-sdk's Event is a TypedDict of the same shape): the scrubber is a pure
# function over whatever keys an integration adds.
Event = dict[str, Any]

# What of the request stays: the method and the URL without its query string.
_REQUEST_KEPT = {"method", "url"}
# Extra values a logging call attaches that expand into the request (and its body and cookies).
_EXTRA_DROPPED = {"request", "user", "username", "email"}


def _strip(value: Any) -> Any:
    if isinstance(value, str):
        return strip_query(value)
    if isinstance(value, list | tuple):
        return [_strip(item) for item in value]
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items()}
    return value


def _scrub_exceptions(event: Event) -> None:
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = strip_query(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def scrub_breadcrumb(crumb: Event, hint: Any = None) -> Event:
    """A breadcrumb (a log line, a query, an outgoing request) with query strings stripped and its
    data reduced to what names no one."""
    crumb = copy.deepcopy(crumb)
    if "message" in crumb:
        crumb["message"] = _strip(crumb["message"])
    data = crumb.get("data")
    if isinstance(data, dict):
        crumb["data"] = {
            key: _strip(value)
            for key, value in data.items()
            if key not in _EXTRA_DROPPED and key not in ("http.query", "http.fragment", "db.params")
        }
    return crumb


def scrub_event(event: Event, hint: Any = None) -> Event:
    """The event sentry-sdk is about to send, less any personal data (its before_send)."""
    event = copy.deepcopy(event)
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {key: _strip(value) for key, value in request.items() if key in _REQUEST_KEPT}
    user = event.get("user")
    event.pop("user", None)
    if isinstance(user, dict) and user.get("id") is not None:
        event["user"] = {"id": str(user["id"])}  # a number, to count how many were affected
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        event["logentry"] = {key: _strip(value) for key, value in logentry.items()}
    if "message" in event:
        event["message"] = _strip(event["message"])
    if isinstance(event.get("extra"), dict):
        event["extra"] = {key: _strip(value) for key, value in event["extra"].items() if key not in _EXTRA_DROPPED}
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict) and isinstance(breadcrumbs.get("values"), list):
        event["breadcrumbs"] = {**breadcrumbs, "values": [scrub_breadcrumb(crumb) for crumb in breadcrumbs["values"]]}
    elif isinstance(breadcrumbs, list):
        event["breadcrumbs"] = [scrub_breadcrumb(crumb) for crumb in breadcrumbs]
    _scrub_exceptions(event)
    return event


def start_error_reporting(dsn: str, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), LoggingIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,  # errors only: no performance traces of who opened what
        before_send=cast("Any", scrub_event),
        before_breadcrumb=cast("Any", scrub_breadcrumb),
    )
