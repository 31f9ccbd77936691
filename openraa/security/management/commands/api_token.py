"""`openraa api_token USERNAME`: issue (or replace) a user's API token and print it once."""

from django.core.management.base import BaseCommand, CommandError

from openraa.people.models import User
from openraa.security import tokens


class Command(BaseCommand):
    help = "Issue a new API token for a member of staff (replacing any earlier one); it expires after OPENRAA_API_TOKEN_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        try:
            token = tokens.issue(user)
        except ValueError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"{token.key}\nValid for {tokens.lifetime().days} days; it is shown only now.")
