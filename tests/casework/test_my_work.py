"""My work: a worker's records (longest waiting first), what is overdue or due this week on them,
timescales and documents alike, tasks any colleague may set, and notices of changes colleagues made."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from openraa.casework import services
from openraa.casework.models import DocumentTracking, Notification, Task
from openraa.casework.subjects import SUBJECTS
from openraa.people.roles import Role
from tests import builders


@pytest.fixture
def worker(aim):
    return builders.user(Role.FAMILY_FINDER, aim)


@pytest.mark.django_db
def test_my_work_lists_my_children_longest_waiting_first_and_nothing_of_others(aim, worker, client_for):
    newer = builders.child(aim, placement_order_on=date(2024, 9, 1))
    older = builders.child(aim, placement_order_on=date(2023, 9, 1))
    not_mine = builders.child(aim, placement_order_on=date(2023, 8, 1))
    for child in (newer, older):
        child.allocated_workers.add(worker)
    page = builders.page_html(client_for(worker).get(reverse("my-work")))
    page = page[page.index("Your children, longest waiting first") :]
    assert page.index(older.reference) < page.index(newer.reference)
    assert not_mine.reference not in page


@pytest.mark.django_db
def test_overdue_documents_feed_my_work_and_drift(aim, worker, client_for):
    child = builders.child(aim)  # should-be-placed 1 June 2023: a Child Permanence Report was due
    child.allocated_workers.add(worker)
    client = client_for(worker)
    assert "Child Permanence Report (document)" not in builders.page_html(client.get(reverse("my-work")))
    DocumentTracking.objects.create(agency=aim, tracked_from=date(2023, 1, 1))
    for url in (reverse("my-work"), reverse("drift:mine")):
        assert "Child Permanence Report (document)" in builders.page_html(client.get(url))
    services.upload_document(
        SUBJECTS["children"],
        child,
        kind="cpr",
        title="CPR",
        restricted=True,
        upload=SimpleUploadedFile("cpr.pdf", b"%PDF-1.4 report"),
        by=worker,
    )
    assert "Child Permanence Report (document)" not in builders.page_html(client.get(reverse("my-work")))


@pytest.mark.django_db
def test_anyone_sets_a_task_for_a_colleague_who_sees_it_and_marks_it_done(aim, worker, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    child = builders.child(aim)
    client = client_for(manager)
    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("tasks:add"),
        {
            "title": "Book the matching panel",
            "owner": worker.pk,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
            "reference": child.reference.lower(),
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.owner, task.set_by, task.child) == (worker, manager, child)
    assert "Book the matching panel" in builders.page_html(client.get(reverse("my-work")))  # set by them
    worker_client = client_for(worker)
    assert "Book the matching panel" in builders.page_html(worker_client.get(reverse("my-work")))
    assert worker_client.post(reverse("tasks:done", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()
    # Someone else's task is not theirs to close.
    other = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    assert other.post(reverse("tasks:done", args=[task.pk])).status_code == 404


@pytest.mark.django_db
def test_a_task_about_a_record_the_setter_cannot_see_is_refused(aim, client_for):
    social_worker = builders.user(Role.SOCIAL_WORKER, aim)  # own council's children only
    liverpool = builders.child(aim, "Liverpool")
    response = client_for(social_worker).post(
        reverse("tasks:add"),
        {
            "title": "Chase",
            "owner": social_worker.pk,
            "due_on_0": "1",
            "due_on_1": "1",
            "due_on_2": "2027",
            "reference": liverpool.reference,
        },
    )
    assert response.status_code == 200 and "No child or household you may see" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_a_change_by_a_colleague_notifies_the_allocated_workers_by_reference_only(aim, worker, client_for):
    child = builders.child(aim)
    child.allocated_workers.add(worker)
    colleague = builders.user(Role.TEAM_MANAGER, aim)
    services.add_note(
        SUBJECTS["children"],
        child,
        kind="call",
        occurred_on=date(2025, 1, 2),
        text="Called",
        restricted=False,
        by=colleague,
    )
    services.add_note(
        SUBJECTS["children"], child, kind="call", occurred_on=date(2025, 1, 2), text="Mine", restricted=False, by=worker
    )
    notice = Notification.objects.get()
    assert notice.user == worker and notice.reference == child.reference
    assert child.first_name not in notice.message
    client = client_for(worker)
    assert "Case note added" in builders.page_html(client.get(reverse("my-work")))
    client.post(reverse("tasks:notifications-read"))
    assert Notification.objects.get().read_at is not None


@pytest.mark.django_db
def test_the_agency_sets_its_document_timings_and_bad_input_changes_nothing(aim, client_for):
    from openraa.casework.models import DocumentDueDays, due_rules_for

    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    url = reverse("casework:timings")
    page = client.get(url)
    assert (
        page.status_code == 200
        and "Prospective Adopter&#x27;s Report: months after Stage 2 began" in page.content.decode()
    )
    form = {"tracked_from_0": "1", "tracked_from_1": "4", "tracked_from_2": "2026"}
    from openraa.casework.domain import DUE_RULES

    for rule in DUE_RULES:
        form[f"{rule.kind.value}_months"], form[f"{rule.kind.value}_days"] = rule.months, rule.days
    form["par_months"] = 5
    assert client.post(url, form).status_code == 302
    rules = due_rules_for(aim.pk)
    assert rules.since == date(2026, 4, 1)
    assert next(r for r in rules.rules if r.kind == "par").months == 5
    assert DocumentDueDays.objects.get(agency=aim, kind="par").history.count() == 1
    response = client.post(url, {**form, "par_months": "-3"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert next(r for r in due_rules_for(aim.pk).rules if r.kind == "par").months == 5
    # Not for those who do not keep the agency's settings.
    assert client_for(builders.user(Role.FAMILY_FINDER, aim)).get(url).status_code == 403


@pytest.mark.django_db
def test_the_demo_region_has_case_notes_documents_and_tasks_to_show(client_for):
    import io

    from django.core.management import call_command

    from openraa.casework.models import CaseNote, Document
    from openraa.partnership.models import Agency

    call_command("demo_region", "--scale", "0.05", stdout=io.StringIO())
    agency = Agency.objects.get(code="aim")
    assert CaseNote.objects.filter(agency=agency).exists() and Document.objects.filter(agency=agency).exists()
    assert Task.objects.filter(agency=agency).exists()
    assert DocumentTracking.objects.get(agency=agency).tracked_from < timezone.localdate()
    worker = Task.objects.filter(agency=agency).first().owner
    assert "Your tasks" in builders.page_html(client_for(worker).get(reverse("my-work")))


@pytest.mark.django_db
def test_overdue_letterbox_letters_are_on_my_work_for_those_who_run_support(aim, client_for):
    from openraa.support import letterbox
    from openraa.support import services as support_services
    from openraa.support.models import LetterboxExchange
    from tests.support.matrix_support import agreement

    letters = agreement(aim, builders.council("Knowsley"), household=builders.household(aim))
    due = letterbox.due_dates(letters.months, letters.starts_on, timezone.localdate())[0]
    worker = builders.user(Role.SUPPORT_WORKER, aim)
    support_services.save_exchange(LetterboxExchange(agreement=letters, direction="to_adopters", due_on=due), by=worker)
    page = builders.page_html(client_for(worker).get(reverse("my-work")))
    assert "Letterbox letters overdue (1)" in page and letters.reference in page
    page = builders.page_html(client_for(builders.user(Role.FAMILY_FINDER, aim)).get(reverse("my-work")))
    assert "Letterbox letters overdue" not in page


@pytest.mark.django_db
def test_a_support_case_is_allocated_and_held_on_my_work(aim, client_for):
    from openraa.support.models import SupportCase
    from tests.support.matrix_support import agreed_case

    case = agreed_case(aim, builders.council("Knowsley"))
    manager = builders.user(Role.TEAM_MANAGER, aim)
    worker = builders.user(Role.SUPPORT_WORKER, aim)
    client = client_for(manager)
    assert client.post(reverse("support:detail", args=[case.pk]), {"worker": worker.pk}).status_code == 302
    case.refresh_from_db()
    assert case.worker == worker and case.history.first().history_user == manager
    page = builders.page_html(client_for(worker).get(reverse("my-work")))
    assert "Your support cases" in page and case.reference in page
    # Someone outside the agency, or a reader without the change grant, allocates nothing.
    other = builders.user(Role.SUPPORT_WORKER, builders.agency("bkm", councils=("Sefton",), host="Sefton"), "Sefton")
    client.post(reverse("support:detail", args=[case.pk]), {"worker": other.pk})
    assert SupportCase.objects.get(pk=case.pk).worker == worker
    finance = client_for(builders.user(Role.FINANCE_OFFICER, aim))
    assert finance.post(reverse("support:detail", args=[case.pk]), {"worker": ""}).status_code == 403
    assert SupportCase.objects.get(pk=case.pk).worker == worker
