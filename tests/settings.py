import os

os.environ.setdefault("OPENRAA_SECRET_KEY", "test-only-secret-key")

from openraa.settings import *  # noqa: E402,F403

# Hashing cost is not under test; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
