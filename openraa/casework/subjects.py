"""The records that carry case notes and documents, and how each is reached: one table, so every
page, download and list treats them alike."""

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from openraa.children.models import Child
from openraa.households.models import Household
from openraa.people import policy
from openraa.people.sharing import ChildAccess
from openraa.permanence.models import Carer, PermanencePlan
from openraa.support.models import SupportCase


@dataclass(frozen=True)
class Subject:
    slug: str  # in URLs: /records/<slug>/<pk>/...
    field: str  # the note's and document's foreign key to it
    model: type[Model]
    resource: str  # the grant that reaches it (people/roles.py)
    label: str
    detail_url: str  # URL name of its page

    def records(self, user, action: str) -> QuerySet:
        """The records of this kind the user may act on (view or change), for the whole record:
        a child seen only as an anonymised profile has no notes or documents to show."""
        rows = policy.restrict(self.model._default_manager.all(), user, self.resource, action)
        if self.model is Child:
            rows = policy.with_child_access(rows, user)
        return rows

    def reaches_record(self, user, record, action: str) -> bool:
        if self.model is Child:
            needed = ChildAccess.RECORD
            return policy.child_access(user, record) >= needed and (action == "view" or not record.sealed)
        return policy.can_on(user, record, self.resource, action)


SUBJECTS = {
    subject.slug: subject
    for subject in (
        Subject("children", "child", Child, "child", "child", "children:detail"),
        Subject("households", "household", Household, "household", "household", "households:detail"),
        Subject("support", "support_case", SupportCase, "support", "support case", "support:detail"),
        Subject("carers", "carer", Carer, "permanence", "carer", "permanence:carer"),
        Subject("plans", "plan", PermanencePlan, "permanence", "permanence plan", "permanence:plan"),
    )
}
BY_FIELD = {subject.field: subject for subject in SUBJECTS.values()}
