"""The first-run page: on a fresh install, the agency and its first administrator, the same as
`openraa setup_agency` followed by `openraa invite_staff`. Open only while no agency exists, and only
with the setup code printed by `openraa setup_code` on the server, so whoever reaches a new server's
address first cannot claim it."""

from __future__ import annotations

import dataclasses

from django import forms
from django.contrib import messages
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.generic import FormView

from openraa.partnership import register, services, setup
from openraa.partnership.models import Agency
from openraa.people.roles import Role
from openraa.staff import services as staff
from openraa.web.forms import GovukForm, add_errors


def setup_code() -> str:
    """Derived from the server's secret key: nothing to store, and it changes with the key."""
    return salted_hmac("openraa.agency.first_run", "setup code", algorithm="sha256").hexdigest()[:16]


class FirstRunForm(GovukForm):
    setup_code = forms.CharField(label="Setup code", help_text="Run `openraa setup_code` on the server to see it")
    code = forms.CharField(label="Agency short code", max_length=20, help_text="Used in references, like aim")
    name = forms.CharField(label="Agency name", max_length=120)
    model = forms.ChoiceField(
        label="How the agency is run", choices=list(setup.MODELS.items()), widget=forms.RadioSelect
    )
    councils = forms.CharField(
        label="Member councils",
        widget=forms.Textarea,
        help_text="ONS codes, one per line or separated by commas, like E08000011",
    )
    host = forms.CharField(label="Host council (ONS code)", required=False, help_text="A hosted agency needs one")
    commissioning = forms.CharField(label="Commissioning council (ONS code)", required=False)
    joined_on = forms.DateField(label="The day the councils joined", required=False, help_text="Today when left empty")
    council_adm = forms.BooleanField(label="Each council's own ADM decides for its children", required=False)
    first_name = forms.CharField(label="Your first name", max_length=150)
    last_name = forms.CharField(label="Your last name", max_length=150)
    email = forms.EmailField(label="Your work e-mail address", help_text="Your sign-in")
    employer = forms.CharField(label="Your employing council (ONS code)")
    password1 = forms.CharField(label="Your password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Your password again", widget=forms.PasswordInput, strip=False)

    def clean_setup_code(self) -> str:
        typed = self.cleaned_data["setup_code"].strip()
        if not constant_time_compare(typed, setup_code()):
            raise forms.ValidationError("This is not the setup code: run `openraa setup_code` on the server")
        return typed

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords are not the same")
        if data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class FirstRunView(FormView):
    openraa_public = True
    template_name = "partnership/first_run.html"
    form_class = FirstRunForm

    def dispatch(self, request, *args, **kwargs):
        if Agency.objects.exists():
            raise Http404("The agency is set up: sign in")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        councils = [code for code in data["councils"].replace(",", "\n").split() if code]
        plan, refusals = setup.plan(
            data["code"],
            data["name"],
            data["model"],
            councils,
            data["host"] or None,
            data["commissioning"] or None,
            data["joined_on"] or timezone.localdate(),
        )
        if plan is None:
            for reason in refusals:
                form.add_error(None, reason)
            return self.form_invalid(form)
        employer = register.find(data["employer"])
        if employer is None or employer.ons_code not in {c.ons_code for c in plan.councils}:
            form.add_error("employer", "Your employing council must be one of the member councils")
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                done = services.set_up_agency(dataclasses.replace(plan, council_adm=data["council_adm"]))
                council = next(c for c in done.councils if c.ons_code == employer.ons_code)
                starter = staff.NewStarter(
                    data["first_name"], data["last_name"], data["email"], (Role.ADMINISTRATOR,), council
                )
                administrator = staff.invite(done.agency, starter, by=None)
                staff.set_password(administrator, data["password1"])
        except services.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
            return self.form_invalid(form)
        except forms.ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{done.agency.name} is set up. Sign in as {administrator.username}, then set up your authenticator app.",
        )
        return redirect("login")
