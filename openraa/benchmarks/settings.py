"""The service's settings with the bench's do-nothing page routed (openraa/benchmarks/floor.py):
what gunicorn runs under `openraa bench load`."""

from openraa.settings import *  # noqa: F403

ROOT_URLCONF = "openraa.benchmarks.floor_urls"
