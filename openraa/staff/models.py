from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class StaffSession(AbstractBaseSession):
    """A signed-in session that knows whose it is, so that a leaver's sessions end in one statement
    rather than by decoding every live session (Django's documented way to extend its database
    sessions; the store is staff/sessions.py)."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from openraa.staff.sessions import SessionStore  # noqa: PLC0415 - the store imports this model

        return SessionStore
