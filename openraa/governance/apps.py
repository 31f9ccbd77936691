from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "openraa.governance"
    label = "governance"
    verbose_name = "Governance: agreements, documents, boards, workstreams, complaints and inter-country cases"
