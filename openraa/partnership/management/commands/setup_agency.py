"""`openraa setup_agency --code aim --name "Adoption in Merseyside" --model hosted --host E08000011
[--commissioning E08000014] --council E08000011 --council E08000012 ... [--joined 2017-03-01]`: a real
agency with its member councils named by ONS code from the bundled register
(openraa/partnership/councils.csv). Refused with every reason, and nothing written, when a code is not
in the register, the host or commissioning council is not a member, a hosted agency has no host, the
agency code is in use (running it again is refused rather than merged: change an agency's members on
its pages) or a council is already a member of another agency on the joining day."""

import argparse
import dataclasses
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openraa.common import parsing
from openraa.partnership import services, setup


def joining_day(text: str) -> date:
    day = parsing.iso_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give it as 2017-03-01")
    return day


class Command(BaseCommand):
    help = "Set up a real agency: its councils from the register by ONS code, host, commissioning council, memberships."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="The agency's short code, like aim")
        parser.add_argument("--name", required=True, help="The agency's name")
        parser.add_argument("--model", required=True, choices=sorted(setup.MODELS), help="How the agency is run")
        parser.add_argument("--host", help="The host council's ONS code (a hosted agency needs one)")
        parser.add_argument("--commissioning", help="The commissioning council's ONS code")
        parser.add_argument(
            "--council", action="append", default=[], help="A member council's ONS code; once per council"
        )
        parser.add_argument("--joined", type=joining_day, help="The day the councils join (default today)")
        parser.add_argument(
            "--council-adm", action="store_true", help="Each council's own ADM decides for its children"
        )

    def handle(self, *args, **options):
        joined = options["joined"] or timezone.localdate()
        plan, refusals = setup.plan(
            options["code"],
            options["name"],
            options["model"],
            options["council"],
            options["host"],
            options["commissioning"],
            joined,
        )
        if plan is None:
            raise CommandError(_refused(refusals))
        plan = dataclasses.replace(plan, council_adm=options["council_adm"])
        try:
            done = services.set_up_agency(plan)
        except services.Refused as refused:
            raise CommandError(_refused(refused.reasons)) from None
        agency = done.agency
        roles = [
            f"hosted by {host.name}" if (host := agency.host_on(plan.joined_on)) else "",
            f"commissioned by {commissioning.name}"
            if (commissioning := agency.commissioning_on(plan.joined_on))
            else "",
        ]
        self.stdout.write(
            f"{agency.name} ({agency.code}) set up, {setup.MODELS[plan.model]}"
            + "".join(f", {r}" for r in roles if r)
            + "."
        )
        self.stdout.write(f"Members from {joined:%d/%m/%Y}: {', '.join(c.name for c in done.councils)}.")
        if done.added:
            self.stdout.write(
                "Added to the councils from the register: "
                + ", ".join(f"{c.name} ({c.ons_code}, {c.region})" for c in done.added)
                + "."
            )


def _refused(reasons: list[str]) -> str:
    return "Nothing was set up:\n" + "\n".join(f"- {reason}" for reason in reasons)
