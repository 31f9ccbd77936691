"""Sealed means sealed (issue 14): after the adoption order a child's record takes no change and no
new record about it through any path; it is never deleted; it leaves the child-level return unless a
role that may open sealed records states a purpose; a reason to open it must say something; an
adopted adult's request for records is a recorded, audited access; and a change to who may open
sealed records needs a second administrator.

The crawl at the end requests every URL pattern that takes a child's id, as every role, against a
sealed child: GET of a form page answers 404 and no POST changes the child or makes a record about
it (an unsealed twin takes the same POSTs, which shows they would have changed something)."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from openraa.audit.models import RecordView
from openraa.children import sealing
from openraa.children.models import Child, ChildNeed, RecordsRequest, SealedRecordError
from openraa.children.services import save_child
from openraa.journeys.models import AgendaItem, PanelMeeting
from openraa.journeys.services import correct_adoption_order, record_child_step
from openraa.people.models import InformationSharing, SealedRolesChange
from openraa.people.roles import Role
from openraa.permanence import services as permanence
from openraa.permanence.models import PermanencePlan
from tests import builders
from tests.permanence.matrix_permanence import run_functions

SECRET_ID, SECRET_DOB = "SEAL9191", date(2021, 7, 13)
REASON = "The adopted adult asked for her birth records in writing"


def _adopted(agency, **overrides):
    household = builders.household(agency, "Knowsley")
    values = {
        "first_name": "Robin",
        "council_child_id": SECRET_ID,
        "date_of_birth": SECRET_DOB,
        "household": household,
        "linked_on": date(2024, 1, 8),
        "matching_panel_on": date(2024, 2, 5),
        "matched_on": date(2024, 2, 12),
        "placed_on": date(2024, 3, 1),
        "adoption_order_on": date(2024, 9, 2),
    }
    return builders.child(agency, "Knowsley", needs={"attachment": "high"}, **{**values, **overrides})


def _placed(agency, **overrides):
    household = builders.household(agency, "Knowsley")
    return builders.child(
        agency,
        "Knowsley",
        household=household,
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
        **overrides,
    )


@pytest.fixture
def adopted(aim):
    return _adopted(aim)


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


# -- the pure rule for reasons -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "aaaaaaaaaa",
        "aaaa bbbb cccc",
        "qwrtp sdfgh zxcvb",
        "asdf asdf asdf",
        "need it",
        "123 456 789",
        "",
        "   ",
        "the the the",
        "x y z w",
    ],
)
def test_meaningless_reasons_are_refused(text):
    assert sealing.reason_problem(text)


@pytest.mark.parametrize("text", [REASON, "Court ordered disclosure to the guardian", "Birth records access (s.60)"])
def test_real_reasons_are_accepted(text):
    assert sealing.reason_problem(text) is None


@given(st.characters(), st.integers(min_value=1, max_value=200))
def test_one_character_repeated_is_never_a_reason(char, times):
    assert sealing.reason_problem(char * times)


@given(st.lists(st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=1, max_size=12), min_size=1, max_size=30))
def test_keyboard_mashing_without_vowels_is_never_a_reason(words):
    assert sealing.reason_problem(" ".join(words))


REAL_WORDS = [
    "adopted",
    "adult",
    "asked",
    "records",
    "court",
    "order",
    "birth",
    "mother",
    "letter",
    "request",
    "solicitor",
    "return",
    "quarterly",
    "upload",
    "council",
    "identity",
    "checked",
    "disclosure",
]


@given(st.lists(st.sampled_from(REAL_WORDS), min_size=3, max_size=20, unique=True), st.sampled_from([" ", ", ", "; "]))
def test_three_or_more_different_real_words_are_a_reason(words, joiner):
    assert sealing.reason_problem(joiner.join(words)) is None


@given(st.lists(st.sampled_from(REAL_WORDS), max_size=2))
def test_fewer_than_three_different_words_are_not(words):
    assert sealing.reason_problem(" ".join(words * 5))


@given(st.text(max_size=300), st.text(max_size=12))
def test_the_rule_answers_any_text_without_failing(text, purpose):
    assert isinstance(sealing.purpose_problems(purpose, text), dict)
    if purpose not in sealing.PURPOSE_LABELS:
        assert "purpose" in sealing.purpose_problems(purpose, text)


def test_the_purposes_include_the_statutory_returns():
    labels = set(sealing.PURPOSE_LABELS.values())
    assert {
        "National quarterly adoption return (ASGLB / Coram-i)",
        "SSDA903 return",
        "Court or legal request",
        "Adopted adult's request for records (birth records access)",
        "Other",
    } <= labels


# -- findings, each as it was reported -----------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
def test_aaaaaaaaaa_does_not_open_a_sealed_record(aim, client_for, adopted):
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    for purpose in ("birth_records", "other"):
        refused = client.post(f"/children/{adopted.pk}/", {"purpose": purpose, "reason": "aaaaaaaaaa"})
        assert "There is a problem" in refused.content.decode() and "Robin" not in refused.content.decode()
    no_purpose = client.post(f"/children/{adopted.pk}/", {"reason": REASON})
    assert "Choose the purpose" in no_purpose.content.decode()
    assert not RecordView.objects.filter(record_id=adopted.pk, channel="sealed").exists()


@pytest.mark.django_db
def test_a_council_social_worker_cannot_start_a_permanence_plan_on_a_sealed_child(aim, client_for, adopted):
    run_functions(aim)
    for role in (
        Role.SOCIAL_WORKER,
        Role.FAMILY_FINDER,
        Role.TEAM_MANAGER,
        Role.ADMINISTRATOR,
        Role.RECRUITMENT_ASSESSMENT,
    ):
        client = client_for(builders.user(role, aim))
        assert client.get(f"/permanence/children/{adopted.pk}/plans/new/").status_code == 404
        posted = client.post(
            f"/permanence/children/{adopted.pk}/plans/new/",
            {"kind": "special_guardianship", **_date("agreed_on", date(2026, 1, 5))},
        )
        assert posted.status_code == 404
        found = client.get(f"/permanence/plans/?child={adopted.reference}")
        assert (
            found.status_code == 200
            and "Enter the reference of a child whose plans you may add" in found.content.decode()
        )
    assert not PermanencePlan.objects.exists()
    with pytest.raises(ValidationError, match="sealed adoption record"):  # and underneath the page, the model
        permanence.add_plan(adopted, "special_guardianship", date(2026, 1, 5), by=None)
    assert not PermanencePlan.objects.exists()


@pytest.fixture
def returns_region(aim):
    return {"adopted": _adopted(aim, adoption_order_on=date(2024, 6, 3)), "waiting": builders.child(aim, "Liverpool")}


def _csv(client, **extra):
    return client.post(
        "/performance/returns/", {"quarter": "2024-04-01", "understood": "on", "download": "children-csv", **extra}
    )


@pytest.mark.django_db
def test_the_return_leaves_a_sealed_child_out_of_the_file_for_someone_who_may_not_open_it(
    aim, client_for, returns_region
):
    adopted, waiting = returns_region["adopted"], returns_region["waiting"]
    admin = builders.user(Role.ADMINISTRATOR, aim)  # holds the returns grant; not among the sealed-record roles
    client = client_for(admin)
    assert client.get(f"/children/{adopted.pk}/").status_code == 404
    page = client.get("/performance/returns/?quarter=2024-04-01").content.decode()
    assert 'name="sealed_purpose"' not in page  # not offered to a role that may not open sealed records
    assert "1 sealed adoption record is counted above and left out of the file" in page
    for extra in ({}, {"sealed_purpose": "asglb", "sealed_reason": "Quarterly upload to the data collection"}):
        body = _csv(client, **extra).content.decode("utf-8-sig")
        assert waiting.reference in body
        for secret in (SECRET_ID, SECRET_DOB.isoformat(), adopted.reference, adopted.household.reference, "2024-06-03"):
            assert secret not in body
        assert len(body.strip().splitlines()) == 2
    assert not RecordView.objects.filter(record_id=adopted.pk).exists()
    xlsx = client.post(
        "/performance/returns/", {"quarter": "2024-04-01", "understood": "on", "download": "children-xlsx"}
    )
    from tests.performance.test_performance_pages import _xlsx_text

    assert SECRET_ID not in _xlsx_text(xlsx.content) and adopted.reference not in _xlsx_text(xlsx.content)


@pytest.mark.django_db
def test_aggregate_counts_of_the_return_still_include_sealed_children(aim, client_for, returns_region):
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    page = client.get("/performance/returns/?quarter=2024-04-01")
    counts = page.context["extracts"][0].counts
    assert counts == [("Knowsley", 1, 1), ("Liverpool", 1, 0)]
    assert page.context["extracts"][0].total == 2
    warnings = {w.code: w for w in page.context["extracts"][0].warnings}
    # The adopted child has a council ID; the waiting child none: counted and named. Sealed ones are counted only.
    assert warnings["child_id_missing"].references == [returns_region["waiting"].reference]
    assert returns_region["adopted"].reference not in page.content.decode()


@pytest.mark.django_db
def test_a_sealed_child_is_in_the_file_only_with_a_stated_purpose_audited_per_child(aim, client_for, returns_region):
    adopted = returns_region["adopted"]
    manager = builders.user(Role.TEAM_MANAGER, aim)  # a sealed-record role by default
    client = client_for(manager)
    assert 'name="sealed_purpose"' in client.get("/performance/returns/?quarter=2024-04-01").content.decode()
    left_out = _csv(client).content.decode("utf-8-sig")
    assert SECRET_ID not in left_out and adopted.reference not in left_out
    refused = _csv(client, sealed_purpose="asglb", sealed_reason="aaaaaaaaaa")
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()
    no_purpose = _csv(client, sealed_purpose="nonsense", sealed_reason=REASON)
    assert no_purpose.status_code == 400
    assert not RecordView.objects.filter(record_id=adopted.pk).exists()

    reason = "Quarterly upload to the Coram-i adoption data collection"
    body = _csv(client, sealed_purpose="asglb", sealed_reason=reason).content.decode("utf-8-sig")
    assert SECRET_ID in body and adopted.reference in body
    entry = RecordView.objects.get(record_id=adopted.pk, record_type="children.child")
    assert (entry.user, entry.channel) == (manager, "export")
    assert entry.reason == f"National quarterly adoption return (ASGLB / Coram-i): {reason}"
    assert set(RecordView.objects.filter(record_id=returns_region["waiting"].pk).values_list("reason", flat=True)) == {
        ""
    }


@pytest.mark.django_db
def test_an_administrator_cannot_add_their_own_role_to_the_sealed_readers_alone(aim, client_for):
    first = builders.user(Role.ADMINISTRATOR, aim, username="admin.one")
    second = builders.user(Role.ADMINISTRATOR, aim, username="admin.two")
    liverpool_admin = builders.user(
        Role.ADMINISTRATOR,
        builders.agency("other", councils=("Sefton",), host="Sefton"),
        employer="Sefton",
        username="admin.other",
    )
    client = client_for(first)
    form = {
        "cross_council": "profile",
        "birth_family_roles": ["social_worker"],
        "sealed_record_roles": ["team_manager", "support_worker", "administrator"],
        "profile_fields": ["ethnicity"],
    }
    response = client.post("/partnership/sharing/", form)
    assert response.status_code == 302
    saved = InformationSharing.objects.get(agency=aim)
    assert saved.profile_fields == ["ethnicity"]  # the other rules are saved at once
    assert sorted(saved.sealed_record_roles) == ["support_worker", "team_manager"]  # this one waits
    change = SealedRolesChange.objects.get()
    assert (
        change.pending
        and change.proposed_by == first
        and change.roles == ["administrator", "support_worker", "team_manager"]
    )
    adopted = _adopted(aim)
    assert client.get(f"/children/{adopted.pk}/").status_code == 404

    # Not by the one who proposed it, nor by another agency's administrator.
    refused = client.post(f"/partnership/sharing/sealed-roles/{change.pk}/confirm/")
    assert refused.status_code == 400 and "Another administrator must confirm" in refused.content.decode()
    assert (
        client_for(liverpool_admin).post(f"/partnership/sharing/sealed-roles/{change.pk}/confirm/").status_code == 404
    )
    assert (
        client_for(builders.user(Role.TEAM_MANAGER, aim))
        .post(f"/partnership/sharing/sealed-roles/{change.pk}/confirm/")
        .status_code
        == 403
    )
    again = client_for(first).post("/partnership/sharing/", {**form, "sealed_record_roles": ["administrator"]})
    assert "already waiting" in again.content.decode()
    assert sorted(InformationSharing.objects.get(agency=aim).sealed_record_roles) == ["support_worker", "team_manager"]

    page = client_for(second).get("/partnership/sharing/").content.decode()
    assert "Waiting for a second administrator" in page and "Confirm the change" in page
    assert client_for(second).post(f"/partnership/sharing/sealed-roles/{change.pk}/confirm/").status_code == 302
    saved.refresh_from_db()
    assert sorted(saved.sealed_record_roles) == ["administrator", "support_worker", "team_manager"]
    change.refresh_from_db()
    assert change.confirmed_by == second and not change.pending
    assert saved.history.latest().history_user == second  # audited: who changed it
    assert [h.history_user for h in change.history.order_by("history_id")] == [first, second]
    assert client_for(first).get(f"/children/{adopted.pk}/").status_code == 200
    assert client_for(second).post(f"/partnership/sharing/sealed-roles/{change.pk}/withdraw/").status_code == 400


@pytest.mark.django_db
def test_a_proposed_change_can_be_withdrawn_and_then_never_applies(aim, client_for):
    first = builders.user(Role.ADMINISTRATOR, aim, username="admin.one")
    second = builders.user(Role.ADMINISTRATOR, aim, username="admin.two")
    client_for(first).post("/partnership/sharing/", {"cross_council": "profile", "sealed_record_roles": []})
    change = SealedRolesChange.objects.get()
    assert client_for(first).post(f"/partnership/sharing/sealed-roles/{change.pk}/withdraw/").status_code == 302
    assert client_for(second).post(f"/partnership/sharing/sealed-roles/{change.pk}/confirm/").status_code == 400
    assert sorted(InformationSharing.objects.get(agency=aim).sealed_record_roles) == ["support_worker", "team_manager"]
    assert client_for(first).post(f"/partnership/sharing/sealed-roles/{change.pk}/other/").status_code == 404


# -- enforced at the root: the model ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_model_refuses_any_change_to_a_sealed_record(aim, adopted):
    stale = Child.objects.get(pk=adopted.pk)
    stale.first_name = "Changed"
    with pytest.raises(SealedRecordError):
        stale.save()
    with pytest.raises(SealedRecordError):
        save_child(Child.objects.get(pk=adopted.pk), {"attachment": "low"}, expected_version=adopted.version)
    need = ChildNeed.objects.get(child=adopted)
    need.severity = "low"
    with pytest.raises(SealedRecordError):
        need.save()
    with pytest.raises(SealedRecordError):
        need.delete()
    with pytest.raises(SealedRecordError):
        ChildNeed.objects.create(child_id=adopted.pk, need="speech", severity="low")
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    # Django adds m2m rows inside an atomic block without a savepoint: each refusal gets its own.
    with pytest.raises(SealedRecordError), transaction.atomic():
        Child.objects.get(pk=adopted.pk).allocated_workers.add(worker)
    with pytest.raises(SealedRecordError), transaction.atomic():
        worker.allocated_children.add(adopted)
    order = adopted.steps.get(kind="placement_order")  # the journey would take this correction of an earlier entry
    with pytest.raises(SealedRecordError):
        record_child_step(adopted, "placement_order", date(2023, 9, 2), by=worker, supersedes=order)
    meeting = PanelMeeting.objects.create(agency=aim, held_on=date(2025, 1, 1))
    item = AgendaItem.objects.create(meeting=meeting, kind="plan_change")
    with pytest.raises(SealedRecordError), transaction.atomic():
        item.children.add(adopted)
    fresh = Child.objects.get(pk=adopted.pk)
    assert (fresh.first_name, fresh.version, fresh.allocated_workers.count(), fresh.steps.count()) == (
        "Robin",
        adopted.version,
        0,
        adopted.steps.count(),
    )
    assert list(fresh.needs.values_list("need", "severity")) == [("attachment", "high")]


@pytest.mark.django_db
def test_the_adoption_order_step_that_seals_the_record_goes_through(aim):
    child = _placed(aim)
    manager = builders.user(Role.TEAM_MANAGER, aim)
    record_child_step(child, "adoption_order", date(2024, 9, 2), by=manager)
    child.refresh_from_db()
    assert child.sealed and child.stage == "adopted"
    with pytest.raises(SealedRecordError):
        record_child_step(
            child, "placement_order", date(2023, 9, 2), by=manager, supersedes=child.steps.get(kind="placement_order")
        )


@pytest.mark.django_db
def test_adoption_records_are_never_deleted(aim, adopted):
    waiting = builders.child(aim, "Knowsley")
    for child in (adopted, waiting):
        with pytest.raises(ValidationError, match="kept for at least 100 years"):
            Child.objects.get(pk=child.pk).delete()
    with pytest.raises(ValidationError, match="kept for at least 100 years"):
        Child.objects.filter(pk__in=[adopted.pk, waiting.pk]).delete()
    with pytest.raises(Exception, match="cannot be deleted"):
        adopted.steps.first().delete()
    with pytest.raises(SealedRecordError):
        adopted.needs.first().delete()
    assert Child.objects.count() == 2 and adopted.needs.count() == 1


# -- the one correction, by a team manager -----------------------------------------------------------


@pytest.mark.django_db
def test_a_team_manager_corrects_a_mistaken_adoption_order_and_nobody_else_can(aim, client_for, adopted):
    url = f"/children/{adopted.pk}/adoption-order/correct/"
    for role in (Role.SOCIAL_WORKER, Role.SUPPORT_WORKER, Role.ADMINISTRATOR, Role.FAMILY_FINDER):
        other = client_for(builders.user(role, aim))
        assert other.get(url).status_code == 404
        assert other.post(url, {"correction": "withdraw", "reason": REASON}).status_code == 404
    with pytest.raises(ValidationError):
        correct_adoption_order(adopted, by=builders.user(Role.SOCIAL_WORKER, aim, username="sw2"), reason=REASON)
    manager = builders.user(Role.TEAM_MANAGER, aim)
    client = client_for(manager)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"correction": "date", "reason": "aaaaaaaaaa"})
    assert "Enter the date the adoption order was made" in refused.content.decode()
    assert "real words" in refused.content.decode()
    moved = client.post(
        url,
        {
            "correction": "date",
            **_date("corrected_on", date(2024, 9, 4)),
            "reason": "The sealed court order is dated the fourth of September",
        },
    )
    assert moved.status_code == 302
    adopted.refresh_from_db()
    assert adopted.adoption_order_on == date(2024, 9, 4) and adopted.sealed
    withdrawn = client.post(url, {"correction": "withdraw", "reason": "The order was recorded against the wrong child"})
    assert withdrawn.status_code == 302
    adopted.refresh_from_db()
    assert adopted.adoption_order_on is None and not adopted.sealed and adopted.stage == "placed"
    kept = list(adopted.steps.filter(kind__in=["adoption_order", "withdrawn"]).values_list("kind", flat=True))
    assert sorted(kept) == ["adoption_order", "adoption_order", "withdrawn"]  # superseded, never deleted
    reads = RecordView.objects.filter(record_id=adopted.pk, channel="sealed", user=manager)
    assert reads.count() == 2 and "wrong child" in reads.first().reason
    adopted.first_name = "Changed"  # unsealed again: an ordinary record
    adopted.save()


# -- an adopted adult's request for records --------------------------------------------------------


@pytest.mark.django_db
def test_an_adopted_adults_request_for_records_is_recorded_and_audited(aim, client_for, adopted):
    url = f"/children/{adopted.pk}/records-requests/new/"
    for role in (Role.SOCIAL_WORKER, Role.ADMINISTRATOR, Role.PANEL_ADVISER, Role.FINANCE_OFFICER):
        assert client_for(builders.user(role, aim)).get(url).status_code in (403, 404)
    waiting = builders.child(aim, "Knowsley")
    worker = builders.user(Role.SUPPORT_WORKER, aim)
    client = client_for(worker)
    assert client.get(f"/children/{waiting.pk}/records-requests/new/").status_code == 404  # not sealed: not this page
    assert client.get(url).status_code == 200
    form = {
        "requester_name": "Robin Adoptedadult",
        **_date("requested_on", date(2025, 3, 3)),
        "identity_evidence": "Passport and birth certificate seen in person",
        "disclosed": "Copy of the adoption court order and the later life letter",
    }
    unchecked = client.post(url, form)
    assert "identity before anything is disclosed" in unchecked.content.decode()
    mashed = client.post(url, {**form, "identity_checked": "on", "disclosed": "aaaaaaaaaa"})
    assert "There is a problem" in mashed.content.decode()
    assert not RecordsRequest.objects.exists() and not RecordView.objects.filter(record_id=adopted.pk).exists()
    assert client.post(url, {**form, "identity_checked": "on"}).status_code == 302
    request = RecordsRequest.objects.get()
    assert (request.child, request.recorded_by, request.requester_name) == (adopted, worker, "Robin Adoptedadult")
    audit = RecordView.objects.get(record_id=adopted.pk, channel="sealed")
    assert audit.user == worker and audit.reason.startswith("Adopted adult's request for records")
    assert "Robin Adoptedadult" in audit.reason and "Passport" in audit.reason
    with pytest.raises(ValidationError):
        request.save()
    with pytest.raises(ValidationError):
        request.delete()


# -- the crawl ---------------------------------------------------------------------------------------

# Pages that act on a sealed record and answer who may use them; every other page that takes a
# child's id is a form (or the API, which serves no sealed record) and answers 404 on a sealed child.
SEALED_PAGES = {
    "children:detail": {Role.TEAM_MANAGER, Role.SUPPORT_WORKER},  # the reason form, then the record
    "children:records-request": {Role.TEAM_MANAGER, Role.SUPPORT_WORKER},
    "journeys:correct-adoption-order": {Role.TEAM_MANAGER},
}


def _child_patterns():
    """(name, route) of every URL pattern whose first parameter is a child's id, found from the
    resolver so a page added later is crawled too."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                space = (
                    f"{namespace}:{entry.namespace}"
                    if namespace and entry.namespace
                    else (entry.namespace or namespace)
                )
                walk(entry, prefix + str(entry.pattern), space)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if "children/<int:pk>" in route or "children/(?P<pk>" in route:
                    found.append((f"{namespace}:{entry.name}" if namespace else entry.name, route))

    walk(get_resolver(), "", "")
    return found


def _url(route: str, child, step, household) -> str:
    import re

    # A case note, document and version of the child's (any number: the sealed record is refused first).
    values = {"pk": child.pk, "step": step, "household": household, "note": 1, "doc": 1, "number": 1, "profile": 1}
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), url)
    return "/" + url.lstrip("^").rstrip("$").replace("\\", "")


def _payload(child, council, household) -> dict:
    """One form's worth of every field those pages take, valid for an unsealed child."""
    return {
        "version": child.version,
        "responsible_council": council.pk,
        "first_name": "Changed",
        "last_name": "Changed",
        **_date("date_of_birth", child.date_of_birth),
        "sex": "1",
        "ethnicity": "WBRI",
        "kind": "adoption_order",
        **_date("occurred_on", date(2025, 1, 6)),
        "note": "Recorded by the crawl",
        **_date("agreed_on", date(2026, 1, 5)),
        "direction": "from_agency",
        **_date("expressed_on", date(2025, 1, 6)),
        **_date("visited_on", date(2025, 1, 6)),
        **_date("linked_on", date(2025, 1, 6)),
        "household": household.pk,
        "action": "correct",
        "purpose": "other",
        "reason": REASON,
        "correction": "withdraw",
        "requester_name": "Robin Adoptedadult",
        **_date("requested_on", date(2025, 3, 3)),
        "identity_checked": "on",
        "identity_evidence": "Passport seen in person",
        "disclosed": "The adoption court order and the letter",
    }


KIND_FOR = {"permanence:plan-add": "special_guardianship"}


def _about(child) -> dict:
    """Everything that is the child's record or a record about the child."""
    state = {
        "row": Child.objects.filter(pk=child.pk).values().get(),
        "needs": list(ChildNeed.objects.filter(child=child).values_list("need", "severity")),
        "workers": list(child.allocated_workers.values_list("pk", flat=True)),
        "excluded": list(child.excluded_councils.values_list("pk", flat=True)),
        "history": child.history.count(),
        "panel_items": AgendaItem.objects.filter(children=child).count(),
    }
    for model in apps.get_models():
        if model in (Child, RecordsRequest) or hasattr(model, "instance_type"):
            continue
        for field in model._meta.fields:
            if field.is_relation and field.related_model is Child:
                state[f"{model._meta.label_lower}.{field.name}"] = model.objects.filter(
                    **{field.attname: child.pk}
                ).count()
    return state


@pytest.mark.django_db
def test_crawl_no_page_changes_a_sealed_child_or_makes_a_record_about_it(aim, client_for):
    run_functions(aim)
    sealed, twin = _adopted(aim), _placed(aim)
    knowsley = builders.council("Knowsley")
    patterns = _child_patterns()
    names = {name for name, _ in patterns}
    assert {
        "children:edit",
        "journeys:child-step",
        "journeys:child-correct",
        "permanence:plan-add",
        "matching:link",
        "children:records-request",
    } <= names, names  # the crawl reaches the pages named in the issue
    users = {role: builders.user(role, aim) for role in Role}
    approved = builders.household(aim, "Knowsley")
    before = _about(sealed)
    changed_twin = set()
    for role, user in users.items():
        client = client_for(user)
        for name, route in patterns:
            step = sealed.steps.get(kind="adoption_order").pk
            url = _url(route, sealed, step, approved.pk)
            got = client.get(url)
            allowed = role in SEALED_PAGES.get(name, set())
            if allowed:
                assert got.status_code == 200, (role, url)
            else:
                # 405: a POST-only page refuses every GET before looking at any record; the POST is below.
                assert got.status_code in (403, 404, 405), (role, url, got.status_code)
            if name == "journeys:correct-adoption-order" and allowed:
                continue  # the one sanctioned change: tested above
            data = {**_payload(sealed, knowsley, approved), **({"kind": KIND_FOR[name]} if name in KIND_FOR else {})}
            if url.startswith("/api/"):
                client.patch(url, {"first_name": "Changed", "version": sealed.version}, content_type="application/json")
                client.post(
                    url,
                    {
                        "kind": "plan_ended",
                        "occurred_on": "2025-01-06",
                        "details": {"plan_ended_reason": "disruption", "plan_ended_code": "RD1"},
                    },
                    content_type="application/json",
                )
            else:
                posted = client.post(url, data)
                assert posted.status_code < 500, (role, url)
            assert _about(sealed) == before, (role, url)

            # The same POST on an unsealed twin shows the payload would have changed something.
            twin_state = _about(twin)
            twin_step = twin.steps.order_by("-id").first().pk
            twin_url = _url(route, twin, twin_step, approved.pk)
            if not twin_url.startswith("/api/") and name not in SEALED_PAGES:
                client.post(
                    twin_url,
                    {**_payload(twin, knowsley, approved), **({"kind": KIND_FOR[name]} if name in KIND_FOR else {})},
                )
                twin.refresh_from_db()
                if _about(twin) != twin_state:
                    changed_twin.add(name)
                    if twin.sealed or twin.first_name == "Changed" or twin.stage != "placed":
                        twin = _placed(aim)  # a fresh twin for the next pattern
    assert RecordsRequest.objects.filter(child=sealed).count() == len(SEALED_PAGES["children:records-request"])
    assert {"children:edit", "journeys:child-step", "permanence:plan-add"} <= changed_twin, changed_twin


# -- the pickers that take a reference, not a child id in the URL --------------------------------------


@pytest.mark.django_db
def test_a_panel_agenda_item_cannot_name_a_sealed_child(aim, client_for, adopted):
    manager = builders.user(Role.TEAM_MANAGER, aim)  # may open sealed records, and still cannot put one on an agenda
    client = client_for(manager)
    created = client.post("/panels/new/", _date("held_on", date(2025, 3, 3)))
    response = client.post(created.url, {"action": "item", "kind": "plan_change", "child_reference": adopted.reference})
    assert "Enter the reference of a child you may see" in response.content.decode()
    assert not AgendaItem.objects.filter(children=adopted).exists()


@pytest.mark.django_db
def test_a_support_case_cannot_name_a_sealed_child(aim, client_for, adopted):
    from openraa.support.models import SupportCase

    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    response = client.post(
        "/support/new/",
        {
            "responsible_council": builders.council("Knowsley").pk,
            "requester": "adoptive_family",
            "requester_name": "Robin Testparent",
            "categories": ["therapeutic"],
            "request": "Therapeutic parenting",
            "child_reference": adopted.reference,
            "household_reference": adopted.household.reference,
            **_date("received_on", date(2025, 5, 1)),
        },
    )
    assert f"No child with the reference {adopted.reference} in this agency" in response.content.decode()
    assert not SupportCase.objects.exists()
