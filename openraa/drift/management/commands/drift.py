"""`openraa drift --council E08000011`: the overdue list of one council, most overdue first."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from openraa.common.dates import long_date
from openraa.common.text import table
from openraa.drift.selectors import agency_drift
from openraa.partnership.models import Agency, Council


class Command(BaseCommand):
    help = (
        "Print the overdue timescales of one council's open children and households, most overdue first: "
        "reference, stage, timescale, due date, days overdue and allocated workers. References only, no names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's ONS code (like E08000011) or name")
        parser.add_argument(
            "--agency",
            help="The agency's code (like aim); needed only when the council is a member of more than one agency",
        )
        parser.add_argument("--date", type=date.fromisoformat, help="Count as of this day, YYYY-MM-DD (default today)")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        wanted = options["council"]
        council = Council.objects.filter(Q(ons_code__iexact=wanted) | Q(name__iexact=wanted)).first()
        if council is None:
            raise CommandError(f"No council with the ONS code or name {wanted!r}")
        agency = self.agency(council, options["agency"], today)
        overdue = agency_drift(agency, today, council=council).overdue
        self.stdout.write(
            f"Overdue in {council.name} ({council.ons_code}), {agency.name}, on {long_date(today)}: "
            f"{len(overdue)} item{'' if len(overdue) == 1 else 's'}"
        )
        if not overdue:
            return
        rows = [
            (
                item.reference,
                item.stage_label,
                item.timescale_label,
                item.due_on.isoformat(),
                str(item.days_overdue),
                item.worker_names or "Not allocated",
            )
            for item in overdue
        ]
        self.stdout.write("\n".join(table(("Reference", "Stage", "Timescale", "Due", "Days overdue", "Workers"), rows)))

    def agency(self, council: Council, code: str | None, today: date) -> Agency:
        agencies = [
            a
            for a in Agency.objects.filter(councils=council).distinct()
            if a.member_councils(today).filter(pk=council.pk).exists()
        ]
        if code:
            chosen = [a for a in agencies if a.code == code]
            if not chosen:
                raise CommandError(f"{council.name} is not a member of an agency with the code {code!r}")
            return chosen[0]
        if len(agencies) != 1:
            codes = ", ".join(a.code for a in agencies) or "none"
            raise CommandError(
                f"{council.name} is a member of {len(agencies)} agencies ({codes}): choose one with --agency"
            )
        return agencies[0]
