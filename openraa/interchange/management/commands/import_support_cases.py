"""`openraa import_support_cases FILE --agency aim [--dry-run]`: a council's adoption support cases
from its system's CSV or XLSX export (columns: support/moving_in.py), each with its dated steps
marked imported; a reconciliation (rows read, to create, already here, refused) and row-by-row reasons."""

from openraa.interchange import moving_in
from openraa.interchange.management.commands._moving_in import MovingInCommand
from openraa.support import moving_in as template


class Command(MovingInCommand):
    help = "Import adoption support cases from a CSV or XLSX file (" + ", ".join(template.SUPPORT_COLUMNS) + ")"
    noun = "Support cases"

    def read(self, agency, table):
        return moving_in.read_support_cases(agency, table)

    def write(self, agency, table):
        return moving_in.import_support_cases(agency, table, by=None)

    def describe(self, new) -> str:
        return f"{new.council.name}, {new.stage.label}, {len(new.steps)} step(s)"
