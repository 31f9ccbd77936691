from django.apps import AppConfig


class StaffConfig(AppConfig):
    # Staff administration sits above people (the accounts) and security (their API tokens and
    # second factors), which it ends or resets when someone leaves.
    name = "openraa.staff"
    verbose_name = "Staff administration: invitations, roles, leavers"
