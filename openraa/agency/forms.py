from django import forms

from openraa.people import sharing
from openraa.people.models import InformationSharing
from openraa.people.roles import POLICY, ROLE_CHOICES, Resource
from openraa.web.forms import GovukModelForm, choice_list

# Only roles that reach children at all are worth naming in the child-sharing rules.
_CHILD_ROLES = [(code, label) for code, label in ROLE_CHOICES if POLICY[code].get(Resource.CHILD)]


class InformationSharingForm(GovukModelForm):
    class Meta:
        model = InformationSharing
        fields = ["cross_council", "profile_fields", "full_record_roles", "birth_family_roles", "sealed_record_roles"]
        widgets = {"cross_council": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cross_council"].choices = sharing.CROSS_COUNCIL_CHOICES
        self.fields["profile_fields"] = choice_list(
            "Also show in the anonymised profile",
            list(sharing.PROFILE_OPTIONAL.items()),
            "Age band, needs, sibling group and stage are always shown; names, birth family and address never",
        )
        self.fields["full_record_roles"] = choice_list(
            "Roles that see every partner council's children in full",
            _CHILD_ROLES,
            "For example the agency's team managers, when the agreement lets them supervise every council's cases",
        )
        self.fields["birth_family_roles"] = choice_list(
            "Roles that need birth parents' names and area",
            _CHILD_ROLES,
            "Only on children they see in full, and only for roles that may see names at all",
        )
        self.fields["sealed_record_roles"] = choice_list(
            "Roles that may open a sealed adoption record",
            _CHILD_ROLES,
            "After the adoption order; each opening needs a reason and is audited",
        )
