"""Letters under a letterbox agreement: due dates from the agreement's months, the agency's read and
check before any letter is passed on (pure rules, the service and the form), returned or withheld
with a reason, and overdue letters through the policy (support.selectors.overdue_exchanges)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from openraa.partnership.models import Council
from openraa.people.roles import Role
from openraa.support import letterbox, selectors, services
from openraa.support.models import LetterboxExchange
from tests import builders
from tests.support.matrix_support import agreement

TODAY = date(2026, 6, 15)


def test_letters_are_due_at_the_end_of_the_agreements_months():
    assert letterbox.due_dates([3, 9], date(2025, 3, 1), date(2026, 6, 30)) == [
        date(2025, 3, 31),
        date(2025, 9, 30),
        date(2026, 3, 31),
    ]
    assert letterbox.due_dates([2], date(2024, 1, 1), date(2024, 12, 31)) == [date(2024, 2, 29)]
    assert letterbox.due_date_error([3, 9], date(2025, 3, 1), None, date(2025, 3, 15)) is not None
    assert letterbox.due_date_error([3, 9], date(2025, 3, 1), None, date(2025, 9, 30)) is None


@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True),
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    st.integers(0, 2000),
)
def test_every_due_date_is_a_month_end_of_the_agreement_in_its_term(months, starts_on, days):
    until = starts_on + timedelta(days=days)
    dates = letterbox.due_dates(months, starts_on, until)
    assert dates == sorted(dates)
    for due in dates:
        assert starts_on <= due <= until and due.month in months and (due + timedelta(days=1)).day == 1


exchanges = st.builds(
    letterbox.Exchange,
    direction=st.sampled_from(list(letterbox.EXCHANGE_DIRECTIONS)),
    due_on=st.just(date(2026, 3, 31)),
    received_on=st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 6, 1))),
    checked_on=st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 6, 1))),
    checked_by=st.one_of(st.none(), st.just(7)),
    passed_on_on=st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 6, 1))),
    held_back=st.sampled_from(["", "returned", "withheld"]),
    held_back_on=st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 6, 1))),
    held_back_reason=st.sampled_from(["", "Names the school the child attends"]),
)


@given(exchanges)
def test_no_letter_is_passed_on_unless_received_then_read_and_checked_first(exchange):
    if not letterbox.exchange_errors(exchange, "both", TODAY) and exchange.passed_on_on is not None:
        assert exchange.received_on is not None and exchange.checked_on is not None
        assert exchange.checked_by is not None
        assert exchange.received_on <= exchange.checked_on <= exchange.passed_on_on
        assert not exchange.held_back


@given(exchanges)
def test_a_letter_held_back_always_says_why(exchange):
    if exchange.held_back and not letterbox.exchange_errors(exchange, "both", TODAY):
        assert exchange.held_back_reason and exchange.held_back_on and exchange.received_on


def test_a_letter_against_the_agreements_direction_is_refused():
    letter = letterbox.Exchange("to_birth_family", date(2026, 3, 31))
    assert "direction" in letterbox.exchange_errors(letter, "to_adopters", TODAY)
    assert letterbox.exchange_errors(letter, "both", TODAY) == {}


def test_a_letter_not_received_by_its_due_date_is_overdue():
    letter = letterbox.Exchange("to_adopters", date(2026, 3, 31))
    assert letterbox.is_overdue(letter, TODAY) and letterbox.exchange_status(letter, TODAY) == "Overdue"
    assert not letterbox.is_overdue(letter, date(2026, 3, 31))
    received = letterbox.Exchange("to_adopters", date(2026, 3, 31), received_on=date(2026, 4, 2))
    assert not letterbox.is_overdue(received, TODAY)


# --- on the record -----------------------------------------------------------------------------------


@pytest.fixture
def knowsley(aim):
    return Council.objects.get(name="Knowsley")


@pytest.fixture
def letters(aim, knowsley):
    return agreement(aim, knowsley, child=builders.child(aim), starts_on=date(2025, 3, 1))


@pytest.fixture
def worker(aim):
    return builders.user(Role.SUPPORT_WORKER, aim)


@pytest.mark.django_db
def test_the_service_refuses_to_pass_on_a_letter_not_read_and_checked(letters, worker):
    letter = services.save_exchange(
        LetterboxExchange(agreement=letters, direction="to_adopters", due_on=date(2025, 3, 31)), by=worker
    )
    letter.received_on, letter.passed_on_on = date(2025, 3, 20), date(2025, 3, 25)
    with pytest.raises(ValidationError) as refused:
        services.save_exchange(letter, by=worker)
    assert "reads and checks every letter" in refused.value.message_dict["passed_on_on"][0]
    letter.refresh_from_db()
    assert letter.received_on is None and letter.passed_on_on is None
    letter.received_on, letter.checked_on, letter.checked_by = date(2025, 3, 20), date(2025, 3, 21), worker
    letter.passed_on_on = date(2025, 3, 25)
    services.save_exchange(letter, by=worker)
    assert letter.history.count() == 2 and letter.history.latest().history_user == worker


@pytest.mark.django_db
def test_a_letter_is_due_only_on_the_agreements_dates_and_logged_once(letters, worker):
    with pytest.raises(ValidationError) as refused:
        services.save_exchange(
            LetterboxExchange(agreement=letters, direction="to_adopters", due_on=date(2025, 4, 30)), by=worker
        )
    assert "due_on" in refused.value.message_dict
    services.save_exchange(
        LetterboxExchange(agreement=letters, direction="to_adopters", due_on=date(2025, 3, 31)), by=worker
    )
    with pytest.raises(ValidationError, match="already logged"):
        services.save_exchange(
            LetterboxExchange(agreement=letters, direction="to_adopters", due_on=date(2025, 3, 31)), by=worker
        )


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)} if day else {}


@pytest.mark.django_db
def test_the_pages_log_a_letter_and_refuse_passing_it_on_unread(letters, worker, client_for):
    client = client_for(worker)
    logged = client.post(
        f"/support/letterbox/{letters.pk}/letters/new/",
        {"direction": "to_adopters", "due_on": "2025-09-30", **_date("received_on", date(2025, 9, 10))},
    )
    assert logged.status_code == 302
    letter = letters.exchanges.get()
    url = f"/support/letterbox/{letters.pk}/letters/{letter.pk}/"
    refused = client.post(url, {**_date("received_on", date(2025, 9, 10)), **_date("passed_on_on", date(2025, 9, 12))})
    assert refused.status_code == 200
    assert "reads and checks every letter before it is passed on" in " ".join(
        refused.context["form"].errors["passed_on_on"]
    )
    letter.refresh_from_db()
    assert letter.passed_on_on is None and letter.history.count() == 1
    done = client.post(
        url,
        {
            **_date("received_on", date(2025, 9, 10)),
            **_date("checked_on", date(2025, 9, 11)),
            **_date("passed_on_on", date(2025, 9, 12)),
        },
    )
    assert done.status_code == 302
    letter.refresh_from_db()
    assert (letter.checked_on, letter.checked_by, letter.passed_on_on) == (date(2025, 9, 11), worker, date(2025, 9, 12))
    page = client.get(f"/support/letterbox/{letters.pk}/").content.decode()
    assert "Passed on" in page and worker.get_full_name() in page


@pytest.mark.django_db
def test_a_withheld_letter_needs_its_reason(letters, worker, client_for):
    client = client_for(worker)
    letter = services.save_exchange(
        LetterboxExchange(
            agreement=letters, direction="to_birth_family", due_on=date(2025, 3, 31), received_on=date(2025, 3, 28)
        ),
        by=worker,
    )
    url = f"/support/letterbox/{letters.pk}/letters/{letter.pk}/"
    form = {
        **_date("received_on", date(2025, 3, 28)),
        "held_back": "withheld",
        **_date("held_back_on", date(2025, 4, 1)),
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and "Give the reason" in refused.content.decode()
    saved = client.post(url, {**form, "held_back_reason": "It names the child's school"})
    assert saved.status_code == 302
    letter.refresh_from_db()
    assert letter.held_back == "withheld" and letter.status(date(2025, 4, 2)) == "Withheld"


@pytest.mark.django_db
def test_a_viewer_without_the_change_grant_cannot_log_a_letter(aim, letters, client_for):
    finance = client_for(builders.user(Role.FINANCE_OFFICER, aim))
    assert finance.get(f"/support/letterbox/{letters.pk}/").status_code == 200
    assert finance.post(f"/support/letterbox/{letters.pk}/letters/new/", {}).status_code == 403
    assert not letters.exchanges.exists()


@pytest.mark.django_db
def test_overdue_letters_are_those_the_policy_lets_the_user_see(aim, knowsley, letters, worker):
    today = timezone.localdate()
    liverpool = Council.objects.get(name="Liverpool")
    theirs = agreement(aim, liverpool, child=builders.child(aim, "Liverpool"), starts_on=date(2025, 3, 1))
    other_agency = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    stranger = agreement(
        other_agency,
        Council.objects.get(name="Sefton"),
        child=builders.child(other_agency, "Sefton"),
        starts_on=date(2025, 3, 1),
    )
    ended = agreement(
        aim, knowsley, child=builders.child(aim), starts_on=date(2025, 3, 1), ends_on=date(2025, 10, 1), status="ended"
    )

    def log(record, due, **values):
        return services.save_exchange(
            LetterboxExchange(agreement=record, direction="to_adopters", due_on=due, **values), by=worker
        )

    late = log(letters, date(2025, 3, 31))
    log(letters, date(2025, 9, 30), received_on=date(2025, 9, 20))  # received: not overdue
    future = letterbox.due_dates([3, 9], today, today + timedelta(days=400))[0]
    log(letters, future)  # not yet due
    late_liverpool = log(theirs, date(2025, 3, 31))
    log(stranger, date(2025, 3, 31))
    log(ended, date(2025, 3, 31))  # under an ended agreement: no reminder

    assert list(selectors.overdue_exchanges(worker)) == [late, late_liverpool]
    assert list(selectors.overdue_exchanges(builders.user(Role.FINANCE_OFFICER, aim))) == [late, late_liverpool]
    assert list(selectors.overdue_exchanges(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))) == []  # no support grant
    assert list(selectors.overdue_exchanges(builders.user(Role.SUPPORT_WORKER, other_agency, "Sefton"))) == [
        LetterboxExchange.objects.get(agreement=stranger)
    ]
