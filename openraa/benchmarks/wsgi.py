"""What gunicorn runs under `openraa bench load`: the service, with the benches' do-nothing page
(openraa/benchmarks/floor.py) routed beside its URLs. Production runs openraa.wsgi."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openraa.settings")
settings.ROOT_URLCONF = "openraa.benchmarks.floor_urls"  # before the first request resolves a URL
application = get_wsgi_application()
