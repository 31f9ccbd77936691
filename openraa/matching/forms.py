from django import forms

from openraa.matching.models import Interest
from openraa.web.forms import GovukForm


class InterestForm(GovukForm):
    direction = forms.ChoiceField(label="Who is interested?", choices=Interest.Direction.choices, widget=forms.RadioSelect)
    expressed_on = forms.DateField(label="Date")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)


class LinkForm(GovukForm):
    linked_on = forms.DateField(label="Date of the link")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)


class VisitForm(GovukForm):
    visited_on = forms.DateField(label="Date of the visit")
    note = forms.CharField(label="What happened", widget=forms.Textarea)
