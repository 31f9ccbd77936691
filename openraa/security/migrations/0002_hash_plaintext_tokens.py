"""The API tokens DRF kept in plaintext (authtoken_token) become digests in security.ApiToken, tied
to their holder's current password, and the plaintext rows are deleted: a token in use keeps
working until it expires or the password changes, and the database no longer holds any token."""

import hashlib

from django.db import migrations
from django.utils.crypto import salted_hmac

FINGERPRINT_SALT = "openraa.security.tokens.password"  # as in openraa/security/tokens.py


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("security", "ApiToken")
    for token in Token.objects.select_related("user"):
        ApiToken.objects.update_or_create(user=token.user, defaults={
            "digest": hashlib.sha256(token.key.encode()).hexdigest(),
            "password_fingerprint": salted_hmac(FINGERPRINT_SALT, token.user.password, algorithm="sha256").hexdigest(),
            "created": token.created,
        })
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
