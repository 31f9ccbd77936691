"""The `openraa` console script: Django's management commands with OpenRAA's settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openraa.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (after the settings are named)

    execute_from_command_line(["openraa", *sys.argv[1:]])


if __name__ == "__main__":
    main()
