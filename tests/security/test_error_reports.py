"""Error reports carry no personal data: `scrub_event`, sentry-sdk's before_send, as a pure function
on events shaped as sentry-sdk's Django and logging integrations make them."""

import json

from openraa.security.errors import scrub_breadcrumb, scrub_event

NAME = "Zebediah"


def _event():
    return {
        "level": "error",
        "request": {
            "method": "POST",
            "url": "https://openraa.example.org/children/12/edit/",
            "query_string": f"q={NAME}",
            "data": {"first_name": NAME, "notes": "synthetic"},
            "cookies": {"sessionid": "abc", "csrftoken": "def"},
            "headers": {"Cookie": "sessionid=abc", "Referer": f"/children/?q={NAME}", "User-Agent": NAME},
            "env": {"REMOTE_ADDR": "198.51.100.7"},
        },
        "user": {"id": 42, "username": "pat.example", "email": "pat@knowsley.example", "ip_address": "198.51.100.7"},
        "logentry": {"message": "Internal Server Error: %s", "params": [f"/children/?q={NAME}"]},
        "extra": {"request": f"<WSGIRequest: GET '/children/?q={NAME}'>", "status_code": 500},
        "breadcrumbs": {
            "values": [
                {"category": "django.request", "message": f"Not Found: /households/?q={NAME}"},
                {"category": "httplib", "data": {"url": "https://api.example/x", "http.query": f"name={NAME}"}},
                {"category": "query", "message": "SELECT ... WHERE first_name = %s", "data": {"db.params": [NAME]}},
            ]
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"bad search /children/?q={NAME}",
                    "stacktrace": {"frames": [{"function": "get", "lineno": 3, "vars": {"child": f"<Child {NAME}>"}}]},
                }
            ]
        },
    }


def test_no_name_body_cookie_header_query_or_user_name_survives():
    scrubbed = scrub_event(_event())
    assert NAME not in json.dumps(scrubbed)
    assert "pat" not in json.dumps(scrubbed) and "198.51.100.7" not in json.dumps(scrubbed)
    assert "abc" not in json.dumps(scrubbed)


def test_what_is_needed_to_find_the_fault_is_kept():
    scrubbed = scrub_event(_event())
    assert scrubbed["request"] == {"method": "POST", "url": "https://openraa.example.org/children/12/edit/"}
    assert scrubbed["user"] == {"id": "42"}
    assert scrubbed["logentry"] == {"message": "Internal Server Error: %s", "params": ["/children/?[redacted]"]}
    assert scrubbed["extra"] == {"status_code": 500}
    frame = scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame == {"function": "get", "lineno": 3}
    assert scrubbed["exception"]["values"][0]["type"] == "ValueError"
    crumbs = scrubbed["breadcrumbs"]["values"]
    assert crumbs[0]["message"] == "Not Found: /households/?[redacted]"
    assert crumbs[1]["data"] == {"url": "https://api.example/x"}


def test_the_event_given_is_not_changed_in_place_and_events_without_a_request_pass():
    event = _event()
    scrub_event(event)
    assert event["request"]["data"]["first_name"] == NAME  # a copy is scrubbed (sentry-sdk sends the return)
    assert scrub_event({"message": "disk full", "level": "error"}) == {"message": "disk full", "level": "error"}
    assert scrub_breadcrumb({"message": f"GET /children/?q={NAME}"}) == {"message": "GET /children/?[redacted]"}
    assert event["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]


def test_reporting_starts_with_personal_data_off_and_the_scrubber(monkeypatch):
    import sentry_sdk

    from openraa.security import errors

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    errors.start_error_reporting("https://key@errors.example/1", "staging")
    (options,) = calls
    assert options["send_default_pii"] is False and options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never" and options["before_send"] is scrub_event
    assert options["before_breadcrumb"] is scrub_breadcrumb and options["environment"] == "staging"
