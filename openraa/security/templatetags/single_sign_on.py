"""The sign-in page's "Sign in with <council> account" buttons, one per provider offered."""

from django import template

from openraa.security import oidc

register = template.Library()


@register.simple_tag
def sign_in_providers():
    return oidc.offered_providers()
