"""`openraa budget --agency bkm --year 2019-20 [--json]`: an agency's budget for a financial year, lines
by council, with the totals the system computes and where a stated total differs."""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand

from openraa.common import years
from openraa.common.text import table
from openraa.finance.money import pounds
from openraa.finance.selectors import budget_table, councils_of, pay_award_table, year_for_command
from openraa.finance.text import amount


class Command(BaseCommand):
    help = (
        "Print an agency's budget for a financial year: each line's contribution from each council, the "
        "totals computed from the lines, and the totals a paper stated with any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, like bkm")
        parser.add_argument("--year", required=True, type=years.argument, help=years.HELP)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table")

    def handle(self, *args, **options):
        year = year_for_command(options["agency"], options["year"])
        agency = year.agency
        result = budget_table(year)
        if options["json"]:
            codes = {c.name: c.ons_code for c in councils_of(agency)}
            document = {
                "agency": agency.code,
                "agency_name": agency.name,
                "year": year.label,
                "currency": "GBP",
                "source": year.note,
                "ons_codes": {name: codes[name] for name in result.councils},
                **result.as_dict(),
                **pay_award_table(year),
            }
            self.stdout.write(json.dumps(document, indent=2))
            return
        self.stdout.write(f"{agency.name} ({agency.code}): budget {year.label}, in pounds")
        if year.before_the_agency:
            self.stdout.write("Before the agency began: each council's budget to be transferred, not a year it spent.")
        header = ["Line", "Part", *result.councils, "Total", "Stated total", "Difference"]
        rows = [
            [
                row.name,
                row.part_label,
                *(amount(a) for a in row.amounts),
                amount(row.total.computed),
                amount(row.total.stated),
                amount(row.total.difference),
            ]
            for row in result.rows
        ]
        grand = result.grand_total
        rows.append(
            [
                "Total (computed from the lines)",
                "",
                *(amount(t.computed) for t in result.council_totals),
                amount(grand.computed),
                amount(grand.stated),
                amount(grand.difference),
            ]
        )
        if any(t.stated is not None for t in result.council_totals):
            rows.append(["Total (stated)", "", *(amount(t.stated) for t in result.council_totals), "", "", ""])
            rows.append(
                [
                    "Difference (computed - stated)",
                    "",
                    *(amount(t.difference) for t in result.council_totals),
                    "",
                    "",
                    "",
                ]
            )
        self.stdout.write("\n".join(table(header, rows, numeric_from=2)))
        for part, total in result.part_totals.items():
            label = "Pooled" if part == "pooled" else "Held per council"
            self.stdout.write(f"{label}: {pounds(total)}")
        if result.differences:
            self.stdout.write("")
            self.stdout.write(
                "Where a stated total differs from what the lines add up to (the lines are kept as given):"
            )
            for difference in result.differences:
                t = difference.total
                rounding = f", within the paper's rounding to {pounds(t.rounded_to)}" if t.within_rounding else ""
                self.stdout.write(
                    f"- {difference.label}: the lines add up to {pounds(t.computed)}; stated "
                    f"{pounds(t.stated)} ({pounds(t.difference, sign=True)}{rounding})"
                )
        else:
            self.stdout.write("Every stated total matches the lines.")
        rolled = pay_award_table(year)
        if rolled["rolled_forward_totals"]:
            self.stdout.write("")
            self.stdout.write(f"Rolled forward from {rolled['base_year']}, plus the pay award:")
            rows = [
                [name, amount(Decimal(t["base"])), amount(Decimal(t["pay_award"])), amount(Decimal(t["contribution"]))]
                for name, t in rolled["rolled_forward_totals"].items()
            ]
            header = ["Council", f"{rolled['base_year']} base", "Pay award", f"{year.label} contribution"]
            self.stdout.write("\n".join(table(header, rows, numeric_from=1)))
        if rolled["interagency_line"]:
            line = rolled["interagency_line"]
            self.stdout.write(
                f"{line['name']}: {pounds(Decimal(line['total']))}, the agency pays the fees for placements "
                "outside the partnership (no fee between partners for adopters the agency approved)."
            )
