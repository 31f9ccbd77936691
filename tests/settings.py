import os

os.environ.setdefault("OPENRAA_SECRET_KEY", "test-only-secret-key")

from openraa.settings import *  # noqa: F403

# Hashing cost is not under test; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]

# Django's test client calls authenticate() without a request, which django-axes refuses; the suite
# signs in with force_login or client.login, so the lock-out backend is left out here and put back
# by tests/security/test_security_lockout.py (AXES_BACKENDS below), which signs in through the real form.
AXES_BACKENDS = AUTHENTICATION_BACKENDS  # noqa: F405
AUTHENTICATION_BACKENDS = ["openraa.people.backends.StaffBackend"]
SILENCED_SYSTEM_CHECKS = ["axes.W003"]
OPENRAA_REQUIRE_2FA = False  # the suite signs in with force_login; tests/security/test_security_2fa.py turns it on
# Scheduled jobs run at once, in the test's own transaction (the worker's database backend is the
# deployment's; tests/common/test_mail.py and the job tests enqueue through this one).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Stored documents go to a folder of the test run's own, never beside the checkout (and each test to
# its own: tests/conftest.py).
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="openraa-test-files-"))  # noqa: F405
OPENRAA_VIRUS_SCAN_COMMAND = "off"  # tests/casework/test_documents.py puts a scanner in
