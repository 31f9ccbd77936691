"""`openraa invite_staff --agency aim --email ... --role administrator --council E08000011`: an
account and its invitation e-mail; the way to the first administrator of a new agency."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from openraa.common import parsing
from openraa.partnership.models import Agency
from openraa.people.roles import Role
from openraa.staff import invitations, roster, services


class Command(BaseCommand):
    help = "Invite a member of staff: the account and the e-mail with its one-time link"

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's short code, e.g. aim")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument(
            "--role", required=True, action="append", help="repeat for several: " + ", ".join(r.value for r in Role)
        )
        parser.add_argument("--council", required=True, help="employing council: ONS code or name")
        parser.add_argument("--starts-on", help="2026-04-01")
        parser.add_argument(
            "--print-link", action="store_true", help="also print the link here (before e-mail is set up)"
        )

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}: set it up with openraa setup_agency")
        councils = services.councils_by_key(agency)
        council = councils.get(options["council"].upper()) or councils.get(options["council"].lower())
        if council is None:
            raise CommandError(f"{options['council']!r} is not a member council of {agency}")
        roles, reasons = roster.read_roles(";".join(options["role"]))
        if reasons:
            raise CommandError("; ".join(reasons) + f" (roles: {', '.join(r.value for r in Role)})")
        starts_on = parsing.iso_date(options["starts_on"]) if options["starts_on"] else None
        if options["starts_on"] and starts_on is None:
            raise CommandError(f"--starts-on {options['starts_on']!r} is not a date like 2026-04-01")
        starter = services.NewStarter(
            options["first_name"], options["last_name"], options["email"], roles, council, starts_on
        )
        try:
            person = services.invite(agency, starter, by=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        services.send_invitation(person)
        self.stdout.write(f"Invited {person} ({person.role_label}, {council}): the link went to {person.email}")
        if options["print_link"]:
            self.stdout.write(f"Link: {invitations.link_path(person)} (after the site's address)")
