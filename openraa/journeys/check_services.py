"""Recording a household's Stage 1 checks (households/checks.py), one transaction each. A check
whose outcome bars approval stops the household's journey: it is closed, through the journey's own
write path, with the closed reason that names the check."""

from django.db import transaction
from django.utils import timezone

from openraa.households import checks
from openraa.households.models import Household, StageOneCheck
from openraa.households.services import save_check
from openraa.journeys.services import record_household_step


@transaction.atomic
def record_check(check: StageOneCheck, *, by, who: str) -> StageOneCheck:
    """Save the check; when its outcome bars approval and the household's journey is open, close
    it today with the reason naming the check. `who` labels the adult in the journey's note as the
    journey's readers may see it ("Applicant 1"), never by name."""
    save_check(check, by=by)
    household = Household.objects.get(pk=check.household_id)
    if check.outcome == checks.Outcome.BARS and check.completed_on is not None and household.closed_on is None:
        label = checks.KIND_LABELS[check.kind]
        record_household_step(
            household,
            "closed",
            timezone.localdate(),
            by=by,
            details={"closed_reason": checks.CLOSED_REASON_OF[check.kind]},
            note=f"{label} for {who} bars approval (completed {check.completed_on:%-d %B %Y})",
        )
    return check
