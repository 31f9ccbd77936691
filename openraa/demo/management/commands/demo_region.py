"""`openraa demo_region`: load Adoption in Merseyside (and, with --all, three more agencies) with
synthetic children, households, staff and adoption support cases; AIM's governance records, and the
North Midlands partnership's wider permanence. Safe to run again: an agency already present is skipped."""

from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from openraa.casework.demo import load_casework
from openraa.common.text import table
from openraa.demo import generator
from openraa.demo.families import DEMO_ADOPTER_EMAIL, DEMO_ADOPTER_PASSWORD, load_families
from openraa.finance.loading import load_set_up_and_grants
from openraa.governance.demo import load_aim_governance, load_risks
from openraa.matching import escalation
from openraa.matching.models import MatchingSettings
from openraa.partnership.models import Agency
from openraa.people.models import User
from openraa.permanence.demo import load_permanence
from openraa.support.demo import load_allowances, load_support_cases

DEFAULT_SEED = 2016
DEFAULT_PASSWORD = "demo-password-2016"


class Command(BaseCommand):
    help = "Load a synthetic regional adoption agency (or four, with --all) for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Also load Bexley, Kent and Medway; NMAPP; and D2N2")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed and day give the same records (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="Password of every demo sign-in (default %(default)s)"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the number of children and households (AIM 250/200, others 80/60)",
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="The day the records are as of (default today; not in the future)",
        )

    def handle(self, *args, **options):
        scale: float = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be more than 0")
        as_of: date = options["as_of"] or timezone.localdate()
        if as_of > timezone.localdate():
            raise CommandError("--as-of cannot be in the future")
        specs = list(generator.AGENCIES.values()) if options["all"] else [generator.AGENCIES["aim"]]

        loaded: list[generator.LoadedAgency] = []
        for spec in specs:
            if Agency.objects.filter(Q(code=spec.code) | Q(name=spec.name)).exists():
                self.stdout.write(f"{spec.name} ({spec.code}) is already loaded: skipped.")
                continue
            children = max(generator.MIN_CHILDREN, round(spec.children * scale))
            households = max(generator.MIN_HOUSEHOLDS, round(spec.households * scale))
            self.stdout.write(f"Loading {spec.name} ({spec.code}): {children} children, {households} households...")
            rng = generator.agency_rng(options["seed"], spec.code)
            loaded.append(
                generator.load_agency(
                    spec, children=children, households=households, rng=rng, password=options["password"], as_of=as_of
                )
            )
            agency = loaded[-1].agency
            load_support_cases(agency, rng)
            load_risks(agency)  # each partnership's risks from its own paper
            if spec.code == "aim":  # its agreements, extended 2021-22, and its boards; allowances by council
                load_aim_governance(agency)
                load_allowances(agency, rng)
            if spec.code == "nmapp":  # the permanence partnership: fostering, connected persons, SGOs
                load_permanence(agency, rng)
            # Set-up costs and grants as the papers give them (amounts a paper omits: synthetic, marked).
            load_set_up_and_grants(agency)
            load_casework(agency, as_of=as_of)  # case notes, some of the expected documents, tasks
            load_families(agency, rng, as_of=as_of)  # the front door, adopters' accounts, published profiles

        if any(item.agency.code == "bkm" for item in loaded):
            # Bexley, Kent and Medway's 2019-20 pooled budget from the council paper, with synthetic actuals.
            call_command("load_bkm_budget", "--demo-actuals", stdout=self.stdout)
        if len(loaded) > 1:
            # Two agencies take other agencies' offers; the offers due on the demo's day are made.
            for item in loaded:
                if item.agency.code in ("bkm", "d2n2"):
                    MatchingSettings.objects.update_or_create(
                        agency=item.agency, defaults={"receive_escalations": True}
                    )
            offers = escalation.escalate_everywhere(as_of)
            self.stdout.write(f"{len(offers)} profiles offered to neighbouring agencies that take offers.")
        if loaded:
            self._summary(loaded)
        else:
            self.stdout.write("Nothing to load.")
        self._sign_ins([spec.code for spec in specs], options["password"] if loaded else None)

    def _summary(self, loaded: list[generator.LoadedAgency]) -> None:
        header = ("Agency", "Councils", "Children", "In sibling groups", "Households", "Applicants", "Staff")
        rows = [
            (
                item.agency.code,
                str(item.agency.councils.count()),
                str(item.counts.children),
                str(item.counts.children_in_sibling_groups),
                str(item.counts.households),
                str(item.counts.applicants),
                str(len(item.staff)),
            )
            for item in loaded
        ]
        self.stdout.write("")
        self.stdout.write("\n".join(table(header, rows)))

    def _sign_ins(self, codes: list[str], password: str | None) -> None:
        """The demo's sign-ins, also when the region was loaded before (make demo run again)."""
        staff = User.objects.filter(agency__code__in=codes).select_related("employing_council", "agency").order_by("id")
        self.stdout.write("")
        self.stdout.write("Demo sign-ins:")
        rows = [(u.username, u.role_label, u.employing_council.name) for u in staff]
        self.stdout.write("\n".join(table(("Username", "Role", "Employing council"), rows)))
        self.stdout.write("")
        if password:
            self.stdout.write(f"Password for every demo sign-in: {password}")
        else:
            self.stdout.write(f"Password: the one given when the region was loaded (default {DEFAULT_PASSWORD})")
        self.stdout.write(
            f"Families: the front door is at /adopt/; an approved demo family signs in at /adopt/account/ as "
            f"{DEMO_ADOPTER_EMAIL} with {DEMO_ADOPTER_PASSWORD} and the code e-mailed to it "
            "(on the administrators' Sent e-mails page)"
        )
