"""Whether the records being saved are a backup being restored, rather than changes anyone makes.

Rules that guard changes (a sealed adoption record gets no new links) must not refuse a restore,
which writes back exactly what was kept: `openraa restore` loads inside `restoring()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_RESTORING: ContextVar[bool] = ContextVar("restoring", default=False)


def is_restoring() -> bool:
    return _RESTORING.get()


@contextmanager
def restoring() -> Iterator[None]:
    token = _RESTORING.set(True)
    try:
        yield
    finally:
        _RESTORING.reset(token)
