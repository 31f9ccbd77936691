"""The canary crawl: nothing restricted reaches anyone without the right, through any renderer.

The demo region (Adoption in Merseyside, small) gets a distinctive canary value in every restricted
field: children's names, birth parents' names and council IDs (sealed children included),
applicants' names, support requesters' and carers' names - saved through the models, so the change
history holds them too. Then every role signs in and requests every URL pattern of the project
(pages, API, downloads) with up to three records per argument, the exports that are asked for by a
POST, a stale-version PATCH on every editable API resource (whose refusal quotes the history), and
the e-mails the drift digest sends. A canary may appear in a response only where the one rule
(`openraa.people.policy.hidden_fields`) lets that reader see that field of that record.

A URL pattern whose arguments the crawl cannot fill fails the test with its name, so a new page
cannot escape the crawl.
"""

import contextlib
import io
import re
import zipfile
import zlib
from collections import defaultdict
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from openraa.children.models import Child
from openraa.families import accounts as adopter_accounts
from openraa.families.models import AdopterAccount, Enquiry
from openraa.households.models import Applicant, Household
from openraa.journeys.papers import may_read_papers
from openraa.partnership.models import Agency
from openraa.people import policy
from openraa.people.models import User
from openraa.performance import returns
from openraa.performance.scorecard import quarter_of
from openraa.permanence import services as permanence_services
from openraa.permanence.models import Carer, PermanencePlan
from openraa.support.models import SupportCase
from tests.permanence import matrix_permanence

CANARY = re.compile(r"Cy[A-Z]{2}[0-9]{6}")

# Restricted fields that hold a canary, per model: field -> two-letter code.
CANARY_FIELDS = {
    Child: {
        "first_name": "FN",
        "last_name": "LN",
        "birth_mother_name": "BM",
        "birth_father_name": "BF",
        "council_child_id": "CI",
    },
    # Contact details are restricted like names (the postcode's 8 characters hold no canary).
    Applicant: {"first_name": "AF", "last_name": "AL", "phone": "AP", "email": "AE", "address": "AA"},
    SupportCase: {"requester_name": "SR", "phone": "SP", "email": "SE", "address": "SA"},
    Carer: {"names": "CN", "phone": "CP", "email": "CE", "address": "CA"},
    # What a family told the front door: restricted with the household's applicants.
    Enquiry: {"first_name": "EF", "last_name": "EL", "partner_first_name": "EP", "email": "EE"},
}


def canary(code: str, pk: int) -> str:
    return f"Cy{code}{pk:06d}"


def _plant_canaries(agency) -> dict[str, tuple[object, str]]:
    """Canary value -> (record, field). Saved through the models, so history rows carry them too; a
    sealed record cannot be changed through the models, so its canaries go in by a plain update."""
    planted = {}
    for model, fields in CANARY_FIELDS.items():
        rows = model.objects.filter(
            **{model.policy_agency_field if hasattr(model, "policy_agency_field") else "household__agency": agency}
        )
        for record in rows:
            values = {name: canary(code, record.pk) for name, code in fields.items()}
            if model is Child and record.adoption_order_on is not None:
                Child.objects.filter(pk=record.pk).update(**values)
            else:
                for name, value in values.items():
                    setattr(record, name, value)
                record.save()
            record.refresh_from_db()
            planted.update({value: (record, name) for name, value in values.items()})
    return planted


def _plant_casework(agency) -> dict[str, tuple[object, str]]:
    """On the records the crawl opens, a restricted and an ordinary case note and a restricted document
    whose title and file hold a canary; and the letters made from households and support cases (their
    PDFs carry the addressee's name, itself a canary)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openraa.casework import letters, services
    from openraa.casework.models import CaseNote, Document, DocumentVersion
    from openraa.casework.subjects import SUBJECTS
    from openraa.children.models import sealed_record_writable
    from openraa.common import pdf

    author = User.objects.filter(agency=agency, roles__icontains="administrator").first()
    planted = {}
    for slug, subject in SUBJECTS.items():
        for record in _records(subject.model, agency):
            sealed = getattr(record, "sealed", False)  # takes nothing new: its notes were written before the order
            for restricted in (True, False):
                if sealed:
                    with sealed_record_writable(record.pk):
                        note = CaseNote.objects.create(
                            agency=agency,
                            child=record,
                            kind="visit",
                            occurred_on=date(2024, 1, 2),
                            text="-",
                            author=author,
                            restricted=restricted,
                        )
                else:
                    note = services.add_note(
                        subject,
                        record,
                        kind="visit",
                        occurred_on=date(2025, 6, 2),
                        text="-",
                        restricted=restricted,
                        by=author,
                    )
                # Append-only: the canary (naming the note's own key) goes in by a plain update.
                CaseNote.objects.filter(pk=note.pk).update(text=f"Visit {canary('NT', note.pk)}")
                note.refresh_from_db()
                planted[canary("NT", note.pk)] = (note, "text")
            if sealed:
                with sealed_record_writable(record.pk):
                    document = Document.objects.create(
                        agency=agency, child=record, kind="other", title="-", created_by=author, restricted=True
                    )
                version = DocumentVersion(
                    document=document, number=1, original_name="n.txt", content_type="text/plain", size=1, sha256="-"
                )
                version.uploaded_by = author
                version.file.save("n", SimpleUploadedFile("n.txt", b"-"), save=False)
                version.save()
            else:
                version = services.upload_document(
                    subject,
                    record,
                    kind="other",
                    title="-",
                    restricted=True,
                    upload=SimpleUploadedFile("notes.txt", b"-"),
                    by=author,
                )
                document = version.document
            value = canary("DT", document.pk)
            Document.objects.filter(pk=document.pk).update(title=value)
            version.file.storage.delete(version.file.name)
            version.file.storage.save(version.file.name, SimpleUploadedFile("x", f"Notes {value}".encode()))
            document.refresh_from_db()
            planted[value] = (document, "title")
            for letter in letters.for_subject(slug):
                if not letter.ready(record):
                    content = pdf.render(
                        letters.paper(
                            letter,
                            record,
                            to=" and ".join(str(a) for a in record.applicants.all())
                            if slug == "households"
                            else record.requester_name,
                            letterhead=(agency.name,),
                            today=date(2025, 6, 2),
                            signed="Worker",
                            context={},
                        )
                    )
                    services.store_generated(
                        subject, record, kind="letter", title=letter.title, content=content, filename="l.pdf", by=author
                    )
    return planted


def _plant_families(agency) -> dict[str, tuple[object, str]]:
    """On the households the crawl opens (and the demo adopter's): the family's own words - a
    registration of interest, a message and an uploaded file's name - each a canary that only those
    who see the household's applicants may read."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openraa.families import services
    from openraa.families.models import FamilyUpload, RegistrationOfInterest

    staff = User.objects.filter(agency=agency, roles__icontains="team_manager").first()
    households = [*_records(Household, agency), AdopterAccount.objects.get(email="adopter@example.org").household]
    planted = {}
    for household in households:
        account = household.adopter_accounts.first() or AdopterAccount.objects.create(
            household=household, email=f"crawl.{household.pk}@example.org"
        )
        words = canary("WA", household.pk)
        RegistrationOfInterest.objects.create(
            household=household,
            submitted_on=date(2025, 1, 6),
            submitted_by=account,
            information_session_on=date(2025, 1, 2),
            why_adopt=f"We can give a home {words}",
        )
        message = canary("MS", household.pk)
        services.send_message(household, f"About our visit {message}", account=account)
        request = services.request_document(household, "Pay slip", "", None, by=staff)
        name = canary("UP", household.pk)
        pdf = SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
        upload = services.upload_for_request(request, pdf, account)
        assert name in upload.original_name and FamilyUpload.objects.filter(pk=upload.pk).exists()
        planted.update(
            {words: (household, "applicants"), message: (household, "applicants"), name: (household, "applicants")}
        )
    return planted


@pytest.fixture
def region(db):
    call_command("demo_region", "--scale", "0.1", stdout=io.StringIO())
    agency = Agency.objects.get(code="aim")
    # The AIM demo runs no wider permanence: one carer and one plan so their pages are crawled too.
    matrix_permanence.run_functions(agency)
    carer = matrix_permanence.carer(agency, "Knowsley", names="Sam Testcarer")
    child = (
        Child.objects.filter(
            agency=agency,
            adoption_order_on__isnull=True,
            plan_ended_on__isnull=True,
            responsible_council__name="Liverpool",
        )
        .order_by("pk")
        .first()
    )
    permanence_services.add_plan(child, "long_term_fostering", date(2025, 1, 6), by=None)
    assert carer.pk and PermanencePlan.objects.filter(agency=agency).exists()
    planted = _plant_canaries(agency)
    planted.update(_plant_casework(agency))
    planted.update(_plant_families(agency))
    assert Child.objects.filter(agency=agency, adoption_order_on__isnull=False).exists(), "no sealed child to test"
    return agency, planted


# -- the URL patterns and the records that fill their arguments ----------------------------------


def _patterns(resolver=None, prefix="", namespace=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + str(entry.pattern), entry


def _models():
    from openraa.casework.models import Task
    from openraa.families.models import DocumentRequest, PreparationGroup
    from openraa.finance.models import FundingFormula, InteragencyFee
    from openraa.governance.models import (
        Action,
        Agreement,
        Board,
        BoardMember,
        Complaint,
        Document,
        InterCountryCase,
        Risk,
        Workstream,
    )
    from openraa.interchange.models import ImportRun
    from openraa.journeys.models import PanelMeeting
    from openraa.matching.models import Escalation, Interest
    from openraa.partnership.models import Council
    from openraa.people.models import SealedRolesChange
    from openraa.support.models import Allowance, LetterboxAgreement

    # The first part of a route that takes `pk` -> the model it names.
    return [
        ("api/^children", Child),
        ("api/^households", Household),
        ("api/^councils", Council),
        ("api/^agencies", Agency),
        ("api/^support-cases", SupportCase),
        ("api/^carers", Carer),
        ("api/^permanence-plans", PermanencePlan),
        ("api/^agreements", Agreement),
        ("api/^documents", Document),
        ("my-work/tasks/", Task),
        ("families/households/", Household),
        ("families/children/", Child),
        ("families/preparation-groups/", PreparationGroup),
        ("adopt/account/documents/", DocumentRequest),
        ("matching/offers/", Escalation),
        ("matching/interests/", Interest),
        ("adopt/account/interests/", Interest),
        ("records/children/", Child),
        ("records/households/", Household),
        ("records/support/", SupportCase),
        ("records/carers/", Carer),
        ("records/plans/", PermanencePlan),
        ("children/", Child),
        ("households/", Household),
        ("panels/decisions/should-be-placed/", Child),
        ("panels/decisions/children/", Child),
        ("panels/decisions/households/", Household),
        ("panels/", PanelMeeting),
        ("interchange/ssda903/runs/", ImportRun),
        ("finance/formula/", FundingFormula),
        ("finance/fees/", InteragencyFee),
        ("support/allowances/", Allowance),
        ("support/letterbox/", LetterboxAgreement),
        ("support/", SupportCase),
        ("permanence/carers/", Carer),
        ("permanence/plans/", PermanencePlan),
        ("permanence/children/", Child),
        ("governance/agreements/", Agreement),
        ("governance/documents/", Document),
        ("governance/boards/", Board),
        ("governance/members/", BoardMember),
        ("governance/actions/", Action),
        ("governance/workstreams/", Workstream),
        ("governance/risks/", Risk),
        ("governance/complaints/", Complaint),
        ("governance/inter-country/", InterCountryCase),
        ("partnership/sharing/sealed-roles/", SealedRolesChange),
        ("staff/", User),
    ]


def _agency_filter(model, agency):
    path = getattr(model, "policy_agency_field", None)
    if model is Agency:
        return {"pk": agency.pk}
    if path:
        return {path: agency}
    for field in ("agency", "board__agency", "meeting__agency", "household__agency"):
        try:
            model._meta.get_field(field.split("__")[0])
        except Exception:
            continue
        return {field: agency}
    if model._meta.label == "partnership.Council":
        return {"pk__in": agency.member_councils().values("pk")}
    raise LookupError(f"no agency for {model.__name__}")


def _records(model, agency, limit=2):
    rows = model.objects.filter(**_agency_filter(model, agency)).order_by("pk")
    if model is Child:  # one of each council and a sealed record
        picked = [
            rows.filter(responsible_council__name=name, adoption_order_on__isnull=True).first()
            for name in ("Knowsley", "Liverpool")
        ]
        picked.append(rows.filter(adoption_order_on__isnull=False).first())
        return [row for row in picked if row is not None]
    return list(rows[:limit])


def _fill(route, entry, agency):
    """Every combination of arguments the crawl requests for one pattern (up to three records)."""
    from openraa.finance.models import FinancialYear
    from openraa.journeys.models import AgendaItem

    names = list(entry.pattern.converters) or list(getattr(entry.pattern, "regex", re.compile("")).groupindex)
    if not names:
        return [{}]
    owner = next((model for prefix, model in _models() if route.startswith(prefix)), None)
    combos = []
    if "pk" in names:
        if owner is None:
            raise LookupError(f"{route}: no model for pk")
        for record in _records(owner, agency, limit=2):
            combos.append({"pk": record.pk, "_record": record})
    else:
        combos.append({})
    filled = []
    for combo in combos:
        record = combo.pop("_record", None)
        values = dict(combo)
        for name in names:
            if name == "pk":
                continue
            if name == "step" and route.startswith("adopt/"):
                values["step"] = "contact"  # a question page (the first needs no answers; this one does)
            elif name == "step":
                step = record.steps.order_by("pk").first() if record is not None and hasattr(record, "steps") else None
                if step is None:
                    break
                values["step"] = step.pk
            elif name == "household":  # on the meeting's agenda for a paper; else an approved one
                item = AgendaItem.objects.filter(meeting_id=values.get("pk"), household__isnull=False).first()
                values["household"] = (
                    item.household_id
                    if item and "papers" in route
                    else Household.objects.filter(agency=agency, approved_on__isnull=False).first().pk
                )
            elif name == "child":  # a child on the meeting's agenda, when there is one
                item = AgendaItem.objects.filter(meeting_id=values.get("pk"), children__isnull=False).first()
                values["child"] = (item.children.first() if item else _records(Child, agency)[0]).pk
            elif name == "item":
                item = AgendaItem.objects.filter(meeting__agency=agency).order_by("pk").first()
                if item is None:
                    break
                values["item"] = item.pk
            elif name == "year":
                year = FinancialYear.objects.filter(agency=agency).first()
                if year is None:
                    break
                values["year"] = year.label
            elif name == "ons":
                values["ons"] = agency.member_councils().first().ons_code
            elif name == "note":  # the record's latest note (the ordinary one; restricted before it)
                note = _casework_rows("CaseNote", record).order_by("-pk").first()
                if note is None:
                    break
                values["note"] = note.pk
            elif name == "doc":  # each document of the record: the canary one, and any letter
                documents = list(_casework_rows("Document", record).order_by("pk").values_list("pk", flat=True))
                if not documents:
                    break
                values["doc"] = documents
            elif name == "number":
                values["number"] = 1
            elif name in ("registration", "upload", "place", "profile"):  # the record's own part
                part = _family_part(name, record)
                if part is None:
                    break
                values[name] = part.pk
            elif name == "code" and route.startswith("adopt/account/"):
                from openraa.families.models import PublishedProfile

                values["code"] = PublishedProfile.objects.filter(child__agency=agency).order_by("pk").first().code
            elif name == "code":
                values["code"] = agency.code
            elif name in ("check", "adult", "exchange"):  # a part of the record: its first one
                related = {"check": "stage_one_checks", "adult": "other_adults", "exchange": "exchanges"}[name]
                part = getattr(record, related).order_by("pk").first() if record is not None else None
                if part is None:
                    break
                values[name] = part.pk
            elif name == "decision":
                values["decision"] = "confirm"
            elif name in ("file_format", "fmt"):
                values[name] = "csv"
            elif name in ("uid", "token"):  # an invitation link (tests/staff tests the valid one)
                values[name] = "not-valid"
            else:
                raise LookupError(f"{route}: argument {name} not known to the crawl")
        else:
            documents = values.pop("doc", None)
            filled += [{**values, "doc": pk} for pk in documents] if documents else [values]
    return filled


def _family_part(name, record):
    from openraa.families.models import FamilyUpload

    if record is None:
        return None
    if name == "registration":
        return record.registrations.order_by("pk").first()
    if name == "upload":
        return FamilyUpload.objects.filter(request__household=record).order_by("pk").first()
    if name == "place":
        return record.places.order_by("pk").first()
    return record.published_profiles.order_by("pk").first()


def _casework_rows(model_name, record):
    from openraa.casework import models
    from openraa.casework.subjects import SUBJECTS

    field = next(s.field for s in SUBJECTS.values() if isinstance(record, s.model))
    return getattr(models, model_name).objects.filter(**{field: record})


def _urls(agency):
    from django.urls import reverse

    urls, unknown = [], []
    for name, route, entry in _patterns():
        if name in ("logout", "login", "otp-verify", "otp-enrol") or route.startswith("api/docs"):
            continue
        try:
            combos = _fill(route, entry, agency)
        except LookupError as why:
            unknown.append(str(why))
            continue
        for kwargs in combos:
            url = reverse(name, kwargs=kwargs or None)
            urls.append(url)
            for fmt in ("xlsx", "pdf"):  # each download format too
                if kwargs.get("file_format") or kwargs.get("fmt"):
                    urls.append(url.replace(".csv", f".{fmt}"))
    return urls, unknown


# -- reading a response ---------------------------------------------------------------------------


def _text(response) -> str:
    """Everything a response carries, as text: pages, JSON, CSV; the cells of an XLSX; a PDF's
    decompressed streams."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # XLSX
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if body[:4] == b"%PDF":
        parts = [body.decode("latin-1")]
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream).decode("latin-1"))
        return " ".join(parts)
    return body.decode("utf-8", "replace")


def _allowed(user, planted, purpose=None) -> set[str]:
    """The canaries this reader may see: those in fields the one rule shows them (for a purpose)."""
    return {
        value
        for value, (record, field) in planted.items()
        if field not in policy.hidden_fields(user, record, purpose=purpose)
    }


def _leaks(username, allowed, planted, text, where) -> list[str]:
    found = set(CANARY.findall(text)) & set(planted)
    return [
        f"{username} {where}: {value} ({planted[value][1]} of {planted[value][0]!r})"
        for value in sorted(found - allowed)
    ]


@pytest.mark.django_db
def test_no_response_to_a_reader_without_the_grant_contains_a_canary(region):
    agency, planted = region
    urls, unknown = _urls(agency)
    assert unknown == [], "URL patterns the crawl cannot fill: add them to _models() or _fill()"
    users = list(User.objects.filter(agency=agency, is_active=True).order_by("username"))
    assert {r for u in users for r in u.roles} >= {
        "administrator",
        "panel_adviser",
        "adm",
        "family_finder",
        "social_worker",
        "board_member",
        "finance_officer",
        "team_manager",
        "support_worker",
        "recruitment_assessment",
    }
    leaks, errors, seen = [], [], defaultdict(int)
    editable = [("/api/children/", c) for c in _records(Child, agency)] + [
        ("/api/households/", h) for h in _records(Household, agency)
    ]
    # The latest quarter that has ended, and the quarter a sealed child was adopted in (so the
    # child-level files have a sealed child to leave out).
    adopted = Child.objects.filter(agency=agency, adoption_order_on__isnull=False).latest("adoption_order_on")
    quarters = {
        returns.default_quarter(date.today()).start.isoformat(),
        quarter_of(adopted.adoption_order_on).start.isoformat(),
    }
    for user in users:
        client = Client()
        client.force_login(user)
        allowed = _allowed(user, planted)
        for_return = _allowed(user, planted, purpose=policy.STATUTORY_RETURN)
        # A panel paper shows those who decide the whole record on their agenda (journeys/papers.py).
        for_decision = allowed | _allowed(user, planted, purpose=policy.DECISION) if may_read_papers(user) else allowed
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{user.username} GET {url}: {response.status_code}")
                continue
            text = _text(response)
            seen["canaries"] += bool(CANARY.search(text))
            paper = "/papers/" in url or url.endswith("/paper/")
            leaks += _leaks(user.username, for_decision if paper else allowed, planted, text, f"GET {url}")
        # The exports asked for by a POST: the national return's child- and adopter-level files.
        for quarter in quarters:
            for download in ("children-csv", "children-xlsx", "adopters-csv", "adopters-xlsx"):
                response = client.post(
                    "/performance/returns/", {"quarter": quarter, "understood": "on", "download": download}
                )
                if response.status_code >= 500:
                    errors.append(f"{user.username} POST returns {download}: {response.status_code}")
                leaks += _leaks(
                    user.username, for_return, planted, _text(response), f"POST returns {download} {quarter}"
                )
        # Ofsted's Annex A lists of each council, for the 12 months to today and to the sealed child's order.
        for council in agency.member_councils():
            for on in {date.today(), adopted.adoption_order_on}:
                response = client.post(
                    "/performance/returns/annex-a/",
                    {"council": council.ons_code, "on": on.isoformat(), "understood": "on", "download": "xlsx"},
                )
                if response.status_code >= 500:
                    errors.append(f"{user.username} POST annex-a {council.ons_code}: {response.status_code}")
                leaks += _leaks(user.username, for_return, planted, _text(response), f"POST annex-a {council} {on}")
        # A stale-version save: the refusal quotes what changed meanwhile.
        for prefix, record in editable:
            response = client.patch(f"{prefix}{record.pk}/", {"version": 0}, content_type="application/json")
            if response.status_code >= 500:
                errors.append(f"{user.username} PATCH {prefix}{record.pk}/: {response.status_code}")
            leaks += _leaks(user.username, allowed, planted, _text(response), f"PATCH {prefix}{record.pk}/")
    # The e-mails: each worker's drift digest.
    mail.outbox = []
    call_command("drift_digest", stdout=io.StringIO())
    by_address = {u.email: u for u in users if u.email}
    for message in mail.outbox:
        for address in message.to:
            reader = by_address.get(address)
            if reader is not None:
                body = message.body + "".join(str(c) for c, _ in getattr(message, "alternatives", []))
                leaks += _leaks(reader.username, _allowed(reader, planted), planted, message.subject + body, "e-mail")
    assert errors == []
    assert seen["canaries"], "the crawl saw no canary at all: it is not reading the records"
    assert leaks == [], "\n".join(leaks[:40])


# Answered to anyone, signed in or not: they describe the service, never a record.
OPEN_TO_EVERYONE = {"/health/", "/api/schema/"}


def _own(record, household_id: int) -> bool:
    return (isinstance(record, Household) and record.pk == household_id) or getattr(
        record, "household_id", None
    ) == household_id


@pytest.mark.django_db
def test_no_response_to_an_adopter_contains_another_familys_or_a_childs_canary(region):
    """The adopter role: a family signed in to its own account requests every URL pattern (staff pages,
    the API, downloads, the front door and every adopter page) and may read only its own household's
    canaries; a child's restricted facts never."""
    agency, planted = region
    urls, unknown = _urls(agency)
    assert unknown == []
    approved = AdopterAccount.objects.get(email="adopter@example.org")
    enquiring = (
        AdopterAccount.objects.filter(household__agency=agency, household__stage="enquiry")
        .exclude(pk=approved.pk)
        .first()
    )
    leaks, errors, reached = [], [], {"adopt": 0, "staff": []}
    for account in (approved, enquiring):
        client = Client()
        session = client.session
        session[adopter_accounts.SESSION_ACCOUNT] = account.pk
        session.save()
        allowed = {value for value, (record, _) in planted.items() if _own(record, account.household_id)}
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{account.email} GET {url}: {response.status_code}")
                continue
            if response.status_code == 200 and url.startswith("/adopt/"):
                reached["adopt"] += 1
            elif response.status_code == 200 and url not in OPEN_TO_EVERYONE:
                reached["staff"].append(url)
            leaks += _leaks(account.email, allowed, planted, _text(response), f"GET {url}")
    assert errors == []
    assert reached["adopt"] > 10, reached  # the adopter's own pages were read
    assert reached["staff"] == [], "an adopter reached a staff page or the API"
    assert leaks == [], "\n".join(leaks[:40])
