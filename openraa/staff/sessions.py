"""The session engine (settings.SESSION_ENGINE): Django's database sessions, each row stamped with
the signed-in user's id when it is saved."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

from openraa.staff.models import StaffSession


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls):
        return StaffSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None  # not signed in (yet): the sign-in saves it again under a new key
        return session
