"""Signing in with a username and password (Django's model backend), reading the signed-in member
of staff on each request together with their agency, its information-sharing rules and their
employing council: every page names them and the policy asks for them, so they come in the same
query (issue 18)."""

from django.contrib.auth.backends import ModelBackend

from openraa.people.models import User


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related(
                "agency", "agency__information_sharing", "employing_council"
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
