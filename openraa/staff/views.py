"""Staff administration pages (administrators of the agency): the staff list, inviting a starter,
changing a role, deactivating a leaver, resetting a lost second factor, importing a staff list, and
what one person may see and do. The invitation link is the one public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView
from django_otp import user_has_device

from openraa.audit import reads
from openraa.people.access import explain
from openraa.people.models import User, sharing_rules
from openraa.staff import forms, invitations, services
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView

ADMINISTER = ("partnership", "change")


class StaffListView(PolicyView, TemplateView):
    permission = ADMINISTER
    template_name = "staff/list.html"

    def get_context_data(self, **kwargs):
        staff = self.request.user.agency.staff.select_related("employing_council").order_by(
            "-is_active", "last_name", "first_name"
        )
        return super().get_context_data(staff=staff, **kwargs)


class _OnePerson(PolicyView):
    permission = ADMINISTER
    request: HttpRequest

    @property
    def administrator(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # the permission above lets only a signed-in administrator in
        return user

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Only the administrator's own agency's staff: another agency's account is not found.
            self.person = get_object_or_404(User, pk=kwargs["pk"], agency_id=request.user.agency_id)
        return super().dispatch(request, *args, **kwargs)


class PersonView(_OnePerson, FormView):
    template_name = "staff/person.html"
    form_class = forms.ChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = self.request.user.agency
        kwargs["initial"] = {
            "roles": self.person.roles,
            "employing_council": self.person.employing_council_id,
            "team": self.person.team_id,
            "base": self.person.base_id,
            "starts_on": self.person.starts_on,
            "ends_on": self.person.ends_on,
        }
        return kwargs

    def get_context_data(self, **kwargs):
        # A staff account is a record about a person: reading it is audited like a child's.
        reads.shown(self.request, self.person)
        return super().get_context_data(
            person=self.person,
            has_device=user_has_device(self.person, confirmed=None),
            access=explain(self.person.role_set, sharing_rules(self.person.agency_id)),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.change(
                self.person,
                roles=tuple(form.cleaned_data["roles"]),
                employing_council=form.cleaned_data["employing_council"],
                team=form.cleaned_data["team"],
                base=form.cleaned_data["base"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.person}'s details are saved")
        return redirect("staff:person", pk=self.person.pk)


class InviteView(PolicyView, FormView):
    permission = ADMINISTER
    template_name = "staff/invite.html"
    form_class = forms.InviteForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"agency": self.request.user.agency}

    def form_valid(self, form):
        data = form.cleaned_data
        starter = services.NewStarter(
            data["first_name"],
            data["last_name"],
            data["email"],
            tuple(data["roles"]),
            data["employing_council"],
            data["starts_on"],
            data["team"],
            data["base"],
        )
        try:
            person = services.invite(self.request.user.agency, starter, by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        services.send_invitation(person)
        messages.success(self.request, f"{person} is invited: the link went to {person.email}")
        return redirect("staff:person", pk=person.pk)


class _Action(_OnePerson, TemplateView):
    """A confirmation page (GET) and the action itself (POST)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            done = self.act()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("staff:person", pk=self.person.pk)
        messages.success(request, done)
        return redirect("staff:person", pk=self.person.pk)

    def act(self) -> str:
        raise NotImplementedError


class DeactivateView(_Action):
    template_name = "staff/deactivate.html"

    def act(self) -> str:
        services.deactivate(self.person, by=self.administrator)
        return f"{self.person} is deactivated: their sessions and API token have ended"


class ResetTwoFactorView(_Action):
    template_name = "staff/reset_two_factor.html"

    def act(self) -> str:
        told = services.reset_two_factor(self.person, by=self.administrator)
        return f"{self.person}'s two-factor sign-in is reset; " + (
            "they have been told by e-mail" if told else "no e-mail address is recorded: tell them yourself"
        )


class ReinviteView(_Action):
    template_name = "staff/reinvite.html"

    def act(self) -> str:
        if self.person.has_usable_password() or not self.person.is_active:
            raise ValidationError(f"{self.person} is not waiting for an invitation")
        services.send_invitation(self.person)
        return f"A new invitation went to {self.person.email}"


class ImportView(PolicyView, FormView):
    permission = ADMINISTER
    template_name = "staff/import.html"
    form_class = forms.RosterForm

    def form_valid(self, form):
        agency, text = self.request.user.agency, form.cleaned_data["file"]
        starters, problems = services.read_roster(agency, text)
        if problems or "confirm" not in self.request.POST:
            # Nothing is written until the whole file reads cleanly and the administrator confirms.
            return self.render_to_response(
                self.get_context_data(form=form, starters=starters, problems=problems, text=text)
            )
        try:
            people = services.import_roster(agency, text, by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        for person in people:
            services.send_invitation(person)
        messages.success(self.request, f"{len(people)} staff invited")
        return redirect("staff:list")


class WelcomeView(FormView):
    """The invitation link: set a password, then sign in and set up the authenticator."""

    openraa_public = True
    template_name = "staff/welcome.html"
    form_class = forms.WelcomeForm

    def dispatch(self, request, *args, **kwargs):
        self.person = invitations.invited_user(kwargs["uid"], kwargs["token"])
        if self.person is None:
            return self.render_to_response({"expired": True}, status=404)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.person}

    def form_valid(self, form):
        services.set_password(self.person, form.cleaned_data["new_password1"])
        messages.success(self.request, "Your password is set: sign in, then set up your authenticator app")
        return redirect("login")
