import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openraa.settings")
application = get_wsgi_application()
# Import every page's module now, at start-up, not on the first request: it took 1.7 s, which the
# first person to open any page after a restart (the regional family-finding page, say) waited.
_url_patterns = get_resolver().url_patterns
