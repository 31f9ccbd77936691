"""The session engine (settings.SESSION_ENGINE): Django's database sessions, each row stamped with
the signed-in user's id when it is saved, and written only when its data differ from what was read
or when its idle expiry last moved on more than a minute ago (issue 18: every page used to rewrite
its session row). The data are compared whole, not by Django's `modified` flag, because libraries
change values inside the session in place (mozilla-django-oidc's states and nonces) and rely on the
save. The idle timeout (SESSION_COOKIE_AGE) ends a session between 29 and 30 minutes after its last
request, never later."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone

from openraa.staff.models import StaffSession

# How stale the stored expiry may grow before an unchanged session is written again.
EXPIRY_REFRESH = timedelta(minutes=1)


class SessionStore(DatabaseStore):
    _stored_expiry = None
    _stored_data = None  # the data as read, serialised

    @classmethod
    def get_model_class(cls):
        return StaffSession

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self._stored_expiry = row.expire_date if row is not None else None
        return row

    def load(self):
        data = super().load()
        self._stored_data = self.serializer().dumps(data) if self._stored_expiry is not None else None
        return data

    def save(self, must_create=False):
        if not must_create and self._expiry_is_fresh() and self._unchanged():
            return  # the same data, and the idle expiry moved on within the last minute
        super().save(must_create=must_create)
        self._stored_expiry = self._stored_data = None

    def _unchanged(self) -> bool:
        return self._stored_data is not None and self.serializer().dumps(self._get_session()) == self._stored_data

    def _expiry_is_fresh(self) -> bool:
        if self._stored_expiry is None or self.session_key is None:
            return False
        full = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        return full - self._stored_expiry < EXPIRY_REFRESH

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None  # not signed in (yet): the sign-in saves it again under a new key
        return session
