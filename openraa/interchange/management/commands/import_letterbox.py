"""`openraa import_letterbox FILE --agency aim [--dry-run]`: a council's letterbox agreements from its
system's CSV or XLSX export (columns: support/moving_in.py); a reconciliation (rows read, to create,
already here, refused) and row-by-row reasons."""

from openraa.interchange import moving_in
from openraa.interchange.management.commands._moving_in import MovingInCommand
from openraa.support import letterbox
from openraa.support import moving_in as template


class Command(MovingInCommand):
    help = "Import letterbox agreements from a CSV or XLSX file (" + ", ".join(template.LETTERBOX_COLUMNS) + ")"
    noun = "Letterbox agreements"

    def read(self, agency, table):
        return moving_in.read_letterbox(agency, table)

    def write(self, agency, table):
        return moving_in.import_letterbox(agency, table, by=None)

    def describe(self, new) -> str:
        # Never the birth relative's name: a terminal's scrollback is not the place for it.
        months = letterbox.month_names(new.months)
        return f"{new.council.name}, {letterbox.DIRECTIONS[new.direction].lower()}, {months}, {new.status}"
