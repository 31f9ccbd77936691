"""`openraa simulate --agency aim [--years 5] [--replications 50] [--seed N] [--json]`: compare matching
policies on the agency's own arrival rates and profiles, with 95% confidence intervals."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openraa.partnership.models import Agency
from openraa.simulation import fit, model, report


class Command(BaseCommand):
    help = (
        "Simulate the agency's family finding over some years under each matching policy (each council "
        "alone, the regional pool first come first served, the regional pool with OpenRAA's engine) on the "
        "same random arrivals, fitted from the agency's records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, like aim")
        parser.add_argument("--years", type=float, default=5.0, help="Horizon in years (default %(default)s)")
        parser.add_argument("--replications", type=int, default=50, help="Replications (default %(default)s)")
        parser.add_argument("--seed", type=int, default=2016, help="Random seed (default %(default)s)")
        parser.add_argument("--workers", type=int, default=2, help="Processes to spread replications over")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}")
        if not 1 <= options["replications"] <= 1000 or not 0 < options["years"] <= 20:
            raise CommandError("Give 1 to 1000 replications and a horizon of up to 20 years")
        assumptions = model.Assumptions()
        params = fit.fit(
            agency,
            timezone.localdate(),
            years=options["years"],
            replications=options["replications"],
            seed=options["seed"],
            assumptions=assumptions,
        )
        if not params.child_profiles or not params.household_profiles:
            raise CommandError(
                f"{agency.name} has no children with placement orders or no approved households to fit from"
            )
        result = model.run(params, workers=max(1, options["workers"]))
        self.stdout.write(json.dumps(report.as_dict(result), indent=2) if options["json"] else report.render(result))
