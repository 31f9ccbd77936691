from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "openraa.security"
    label = "security"
    verbose_name = "Security: headers, sign-in lock-out, two-factor authentication, backups"
