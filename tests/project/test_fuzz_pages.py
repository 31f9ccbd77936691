"""No input gives a server error: a crawl over every URL pattern (the permission matrix's region, a
record of the user's own council in each `<int:pk>`), for several roles, that reads each page's
form fields (`<input>`, `<select>`, `<textarea>`) and throws generated values at them, on GET as
query parameters and on POST as the form's body, starting from the values the page itself filled in
so that a single bad field reaches the code behind the valid ones.

The values are what broke pages before: digits of other scripts that pass `str.isdigit()` and fail
`int()` (superscripts, Arabic-Indic, NKo), references with them (`H-²`), years out of range
(`9999-00`), huge numbers, very long strings, NUL and repeated (list) values. Deterministic
(`derandomize=True`) and bounded so the whole crawl runs in about a minute; the JSON API's bodies are
fuzzed in tests/api/test_fuzz_api.py.
"""

from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openraa.people.roles import Role
from tests import builders
from tests.people.test_permission_matrix import NO_RECORD, OWN, PUBLIC, QUERY, RECORD_LOOKUPS, _patterns, _url

# Each page and form is fuzzed as the first of these roles that reaches it, so the crawl stays
# bounded while the pages of each area are read as a role that works there.
ROLES = (
    Role.SOCIAL_WORKER,
    Role.RECRUITMENT_ASSESSMENT,
    Role.FINANCE_OFFICER,
    Role.SUPPORT_WORKER,
    Role.TEAM_MANAGER,
    Role.ADMINISTRATOR,
    Role.ADM,
)
EXAMPLES = 3  # generated examples per page and form, after the fixed values below
# Query parameters some page reads without showing a form field for them.
QUERY_NAMES = (
    "q",
    "year",
    "month",
    "quarter",
    "council",
    "page",
    "stage",
    "kind",
    "format",
    "excluded",
    "first",
    "second",
    "run",
    "child",
    "next",
    "household",
    "responsible_council",
    "home_council",
)
# Digits of other scripts: superscript two and three, Arabic-Indic three, NKo five, Devanagari zero,
# Thai three, fullwidth one, a circled one and a Roman numeral.
OTHER_DIGITS = "²³٣߅०๓１①Ⅻ"
FIXED = (
    "²",
    "H-²",
    "G-²",
    "C-²",
    "S-²",
    "CR-²",
    "P-²",
    "CP-²",
    "٣",
    "߅",
    "1²",
    "2019-²",
    "9999-00",
    "9999",
    "0000",
    "-1",
    "99999999999999999999999999",
    "1e999",
    "NaN",
    "-Infinity",
    "1" * 400,
    "2019-20",
    "31/02/2023",
    "2023-02-31",
    "x" * 5000,
    " ",
    "\u202e",
    "0x10",
    "1_000",
    "１２",
)

nasty_text = st.one_of(
    st.sampled_from(FIXED),
    st.text(alphabet=st.sampled_from(OTHER_DIGITS + "0123456789-/.£, "), max_size=12),
    st.from_regex(r"(C|H|G|S|CR|P|CP)-[0-9²٣߅]{0,24}", fullmatch=True),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=30),
    st.text(min_size=3000, max_size=6000, alphabet=st.sampled_from("9²a")),
    st.just("a\x00b"),
)
# A field given once, or repeated (a list of values where the page expects one).
nasty_value = st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3))


class FormFields(HTMLParser):
    """The forms of a page: method, action and {name: [values]} as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
                "names": set(),
                "typed": set(),
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or tag not in ("input", "select", "option", "textarea"):
            return
        if tag == "option" and self._select is not None:
            name, first = self._select
            if "selected" in attrs or first:
                form["fields"][name] = [attrs.get("value", "")]
            self._select = (name, False)
            return
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            return
        form["names"].add(name)
        if tag == "select":
            self._select = (name, True)
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = [""]
        elif attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs:
                form["fields"].setdefault(name, []).append(attrs.get("value", "on"))
        elif attrs.get("type") not in ("submit", "button", "file", "image"):
            form["fields"][name] = [attrs.get("value", "")]
            form["typed"].add(name)  # a box one types into (or a hidden value), not a choice

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] = [data]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forms(html: str) -> list[dict]:
    parser = FormFields()
    parser.feed(html)
    return parser.forms


def _pages(region):
    """(name, url) of every page a signed-in user may ask for, with the own council's records."""
    for name, route, entry in _patterns():
        if name in PUBLIC:
            continue
        if name in RECORD_LOOKUPS:
            try:
                kwargs = RECORD_LOOKUPS[name][0](region, OWN)
            except KeyError:
                continue
        else:
            kwargs = NO_RECORD.get(name, {})
        yield name, _url(name, route, entry, kwargs) + QUERY.get(name, "")


def _public(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True
    return match.view_name in PUBLIC


def _call(client, method, url, data, failures, label):
    try:
        if method == "get":
            separator = "&" if "?" in url else "?"
            response = client.get(f"{url}{separator}{urlencode(data, doseq=True)}")
        else:
            response = client.post(url, data)
    except Exception as error:  # the test client re-raises what the view raised: that is the 500
        failures.append(f"{label}: {type(error).__name__}: {str(error)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{label}: {response.status_code}")
    return response


def _fuzz(client, method, url, defaults, names, failures, label, typed=()):
    names = sorted(names)

    def send(changes):
        data = {**defaults, **{name: value if isinstance(value, list) else [value] for name, value in changes.items()}}
        _call(client, method, url, data, failures, f"{label} {method.upper()} {url} {sorted(changes)}")

    for value in ("²", "9999-00"):  # every field at once
        send(dict.fromkeys(names, value))
    for name in sorted(typed):  # then each typed field alone, the others as the page filled them in
        send({name: "²"})

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(st.dictionaries(st.sampled_from(names), nasty_value, min_size=1, max_size=3))
    def run(changes):
        send(changes)

    run()


@pytest.mark.django_db
def test_no_generated_input_on_any_page_gives_a_server_error(region):
    failures, fuzzed = [], set()
    for role in ROLES:
        client = Client()
        client.force_login(builders.user(role, region["agency"][OWN], employer="Knowsley", username=f"fuzz.{role}"))
        for name, url in _pages(region):
            if (name, "get") in fuzzed:
                continue
            page = _call(client, "get", url, {}, failures, f"{role} GET {url}")
            if page is None or page.status_code != 200:
                continue
            forms = _forms(page.content.decode()) if page["Content-Type"].startswith("text/html") else []
            query_names = set(QUERY_NAMES).union(*(form["names"] for form in forms if form["method"] == "get"))
            _fuzz(client, "get", url, {}, query_names, failures, role)
            fuzzed.add((name, "get"))
            for form in forms:
                if form["method"] != "post" or not form["names"]:
                    continue
                target = urlsplit(form["action"]).path or url.split("?")[0]
                if _public(target) or (name, target) in fuzzed:
                    continue  # signing out would end the crawl
                _fuzz(client, "post", target, form["fields"], form["names"], failures, role, form["typed"])
                fuzzed |= {(name, "post"), (name, target)}
    assert not failures, "\n".join(failures[:60]) + f"\n... {len(failures)} in all"
    # The crawl reached the pages and forms that read input, not only refusals.
    assert len({name for name, method in fuzzed if method == "post"}) > 40
    assert {
        ("children:list", "get"),
        ("households:list", "get"),
        ("finance:fees", "get"),
        ("children:edit", "post"),
        ("journeys:child-step", "post"),
    } <= fuzzed
