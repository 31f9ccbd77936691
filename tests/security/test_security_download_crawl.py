"""Every download is safe, found by crawling rather than by a list (issue 14).

Every free-text field of every record holds a formula payload (`=1+2`, `@SUM(A1)`, `+cmd|' /C
calc'!A0`, `-2+3`, ...), an import run's reason report holds payload child IDs, and then each role
signs in and crawls: every URL pattern (with the permission matrix's records), every link and GET
form on each page it reaches, and every POST form with a button named `download` (the convention
for a download chosen on a form: the quarterly return). Every response that is a CSV or XLSX file
is opened: no CSV cell may start a formula, no XLSX cell may be a formula. A new download on a
page, in any format, is checked without touching this test."""

import csv
import io
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve, reverse

from openraa.people.roles import Role
from tests import builders
from tests.people.test_permission_matrix import NO_RECORD, OWN, PUBLIC, QUERY, RECORD_LOOKUPS, _patterns
from tests.security.test_security_downloads import formula_cells, unsafe_csv_cells, xlsx_strings

PAYLOADS = ("=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", '=HYPERLINK("http://x","y")')
KNOWSLEY = Path(__file__).parents[1] / "fixtures" / "ssda903" / "knowsley-2025"
# Text that is not free text: codes the record's rules read, secrets, and what the crawl signs in with.
NOT_FREE_TEXT = {
    "password",
    "username",
    "kind",
    "ons_code",
    "code",
    "postcode_district",
    "birth_family_postcode_district",
    "current_postcode_district",
    "report",
    "path",
    "period",
    "record_type",
}
# Pages the crawl must not follow: signing out or in, and the second factor.
NOT_CRAWLED = {"logout", "login", "otp-verify", "otp-enrol"}
SEEN_PER_PAGE = 2  # distinct URLs per (page, query parameters): enough to reach a page's variants
CSV_TYPES = ("text/csv",)
XLSX_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)


class Page(HTMLParser):
    """The links and forms of a page (what a person could click or submit)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": [],
                "buttons": [],
                "radios": {},
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                if name:
                    self._form["buttons"].append((name, a.get("value", "")))
            elif not name or kind == "file":
                return
            elif kind == "checkbox":
                self._form["fields"].append((name, a.get("value", "on")))
            elif kind == "radio":
                if name not in self._form["radios"] or "checked" in a:
                    self._form["radios"][name] = a.get("value", "on")
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit" and a.get("name"):
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, False]
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or ("selected" in a and not self._select[2]):
                self._select[1], self._select[2] = a.get("value", ""), "selected" in a
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._form is not None and self._select[1] is not None:
                self._form["fields"].append((self._select[0], self._select[1]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form["fields"].append(tuple(self._textarea))
            self._textarea = None

    def submissions(self):
        """Each form as (method, action, data): once as it stands, and once per named button."""
        for form in self.forms:
            data = form["fields"] + list(form["radios"].items())
            presses = [[]] if form["method"] == "get" else []
            presses += [[button] for button in form["buttons"] if form["method"] == "get" or button[0] == "download"]
            for press in presses:
                yield form["method"], form["action"], data + press


def poison():
    """Every free-text field of every record starts with a payload (and ends with the record's number,
    so values that must be unique stay so)."""
    n = 0
    for model in apps.get_models():
        if not model.__module__.startswith("openraa") or model._meta.proxy:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and f.name not in NOT_FREE_TEXT
            and not f.primary_key
        ]
        for pk in model._default_manager.values_list("pk", flat=True):
            values = {}
            for f in fields:
                n += 1
                payload = PAYLOADS[n % len(PAYLOADS)]
                if f.max_length:
                    payload = payload[: f.max_length - len(str(pk)) - 1]
                values[f.name] = f"{payload} {pk}"
            if values:
                model._default_manager.filter(pk=pk).update(**values)


@pytest.fixture
def poisoned(region):
    from openraa.finance.models import BudgetLine, Contribution
    from openraa.interchange import services

    year = region["year"][OWN]
    for i, part in enumerate(("pooled", "council")):
        line = BudgetLine.objects.create(year=year, name=f"Line {i}", part=part, position=i)
        for council in ("Knowsley", "Liverpool"):
            Contribution.objects.create(line=line, council=builders.council(council), amount=Decimal("1000.00"))
    files = []
    for p in sorted(KNOWSLEY.iterdir()):
        content = p.read_bytes()
        if "Episodes" in p.name:
            content = content.replace(b"\n1003,", b"\n=1+2,").replace(b"\n1002,", b"\n@SUM(A1),")
        files.append((p.name, content))
    region["run"][OWN] = services.import_return(files, builders.council("Knowsley"), 2025).run
    region["users"] = [builders.user(role, region["agency"][OWN], employer="Knowsley") for role in Role]
    poison()
    return region


def seeds(region):
    for name, _route, _entry in _patterns():
        if name in PUBLIC or name in NOT_CRAWLED:
            continue
        kwargs = RECORD_LOOKUPS[name][0](region, OWN) if name in RECORD_LOOKUPS else NO_RECORD.get(name, {})
        yield reverse(name, kwargs=kwargs or None) + QUERY.get(name, "")
    yield reverse("finance:council-export", kwargs={"ons": "E08000011", "fmt": "xlsx"}) + "?year=2025-26"


def crawl(client, start):
    """(url, response) of every file the crawl downloaded; the server errors it met."""
    queue = [("get", url, None) for url in start]
    seen, per_page, files, errors = set(), Counter(), [], []
    while queue:
        method, url, data = queue.pop(0)
        parts = urlsplit(url)
        if (
            parts.scheme
            or parts.netloc
            or not parts.path.startswith("/")
            or parts.path.startswith("/static/")
            or parts.path.endswith(".pdf")
        ):  # a PDF has no cells to run
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.view_name in NOT_CRAWLED:
            continue
        query = sorted(parse_qsl(parts.query, keep_blank_values=True))
        key = (method, parts.path, tuple(query), tuple(sorted(data or [])))
        page = (method, match.view_name, tuple(sorted({k for k, _ in query} | {k for k, _ in data or []})))
        if key in seen or per_page[page] >= SEEN_PER_PAGE:
            continue
        seen.add(key)
        per_page[page] += 1
        target = parts.path + ("?" + urlencode(query) if query else "")
        response = client.get(target) if method == "get" else client.post(target, dict(_merge(data)))
        if response.status_code >= 500:
            errors.append(f"{method.upper()} {target}: {response.status_code}")
            continue
        kind = response.get("Content-Type", "")
        if kind.startswith(CSV_TYPES + XLSX_TYPES):
            files.append((match.view_name, target, kind, response.content))
            continue
        if not kind.startswith("text/html") or response.status_code != 200:
            continue
        html = Page()
        html.feed(response.content.decode())
        queue += [("get", urljoin(target, link.split("#")[0]), None) for link in html.links]
        for form_method, action, form_data in html.submissions():
            action_url = urljoin(target, action or target)
            if form_method == "get":
                queue.append(("get", urlsplit(action_url).path + "?" + urlencode(form_data), None))
            else:
                queue.append(("post", action_url, form_data))
    return files, errors


def _merge(data):
    merged = {}
    for name, value in data:
        merged.setdefault(name, []).append(value)
    return merged


@pytest.mark.django_db(transaction=False)
def test_no_download_in_any_format_holds_a_live_formula(poisoned, client):
    client.raise_request_exception = False
    found, unsafe, errors, shown = set(), [], [], set()
    for user in poisoned["users"]:
        role = user.role_label
        client.force_login(user)
        files, role_errors = crawl(client, list(seeds(poisoned)))
        errors += [f"{role}: {e}" for e in role_errors]
        for view_name, url, kind, content in files:
            fmt = "csv" if kind.startswith(CSV_TYPES) else "xlsx"
            found.add((view_name, fmt))
            if fmt == "csv":
                bad = unsafe_csv_cells(content)
                shown |= {cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row}
            else:
                bad = formula_cells(content)
                shown |= xlsx_strings(content)
            unsafe += [f"{role} {url}: {cell!r}" for cell in bad]
        client.logout()
    assert unsafe == [], "\n".join(unsafe[:40])
    # The crawl reached the downloads there are today, in each format, and the payloads were in them.
    assert {
        ("finance:council-export", "xlsx"),
        ("interchange:report", "csv"),
        ("performance:returns", "csv"),
        ("performance:returns", "xlsx"),
        ("performance:board-download", "xlsx"),
        ("performance:annex-a", "xlsx"),
        ("simulation:board", "csv"),
    } <= found, found
    assert any(text.startswith("'=1+2") for text in shown) and any(text.startswith("=1+2") for text in shown)
    assert errors == [], "\n".join(errors)
