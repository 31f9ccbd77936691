"""Partnership administration: councils joining and leaving, the host and commissioning council over
time, bases, teams, the Head of Service and secondments. Each page lists what is recorded and takes
one change, which its service writes with the history row under the administrator; a refusal is
shown on the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from openraa.agency import admin_forms
from openraa.partnership import services
from openraa.partnership.models import Base, CouncilRole, Membership, Team
from openraa.people import staffing
from openraa.people.models import HeadOfService, Secondment
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class AdministrationPage(PolicyView, FormView):
    permission = ("partnership", "change")
    title = ""
    intro = ""
    button = ""
    done = ""
    done_url = ""  # where a saved change goes: this page unless named

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.request.user.agency}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, intro=self.intro, button=self.button, **kwargs)

    def write(self, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.write(form)
        except ValidationError as refused:
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect(self.done_url or self.request.path)


class CouncilsView(AdministrationPage):
    template_name = "partnership/councils.html"
    form_class = admin_forms.JoinForm
    title = "Member councils"
    intro = "A council joins from a day; it cannot be a member of two agencies on the same day."
    button = "Record the council joining"
    done = "The council's membership is recorded"

    def get_context_data(self, **kwargs):
        memberships = Membership.objects.filter(agency=self.request.user.agency).select_related("council")
        return super().get_context_data(memberships=memberships.order_by("council__name", "joined_on"), **kwargs)

    def write(self, form):
        data = form.cleaned_data
        services.join(self.request.user.agency, data["ons_code"], data["joined_on"], by=self.request.user)


class LeaveView(AdministrationPage):
    template_name = "partnership/admin_form.html"
    form_class = admin_forms.LeaveForm
    title = "A council leaves"
    intro = (
        "The council stays on record as a member until the day before it leaves. The host or commissioning "
        "council must be changed first, and the last member council cannot leave."
    )
    button = "Record the council leaving"
    done = "The council's leaving is recorded"
    done_url = "partnership:councils"

    def write(self, form):
        services.leave(form.cleaned_data["membership"], form.cleaned_data["left_on"], by=self.request.user)


class CouncilRolesView(AdministrationPage):
    template_name = "partnership/council_roles.html"
    form_class = admin_forms.CouncilRoleForm
    title = "Host and commissioning council"
    intro = (
        "A change takes effect from a day: the council holding the role keeps it until the day before, "
        "and every earlier day still shows who held it then."
    )
    button = "Record the change"
    done = "The change is recorded"

    def get_context_data(self, **kwargs):
        terms = CouncilRole.objects.filter(agency=self.request.user.agency).select_related("council")
        return super().get_context_data(terms=terms.order_by("kind", "starts_on"), **kwargs)

    def write(self, form):
        data = form.cleaned_data
        services.change_council_role(
            self.request.user.agency,
            data["kind"],
            data["council"],
            data["starts_on"],
            data["note"],
            by=self.request.user,
        )


class BasesView(AdministrationPage):
    template_name = "partnership/bases.html"
    form_class = admin_forms.BaseForm
    title = "Bases"
    intro = "Where staff work from: an office in a council's area, or hot desks in a shared centre."
    button = "Add the base"
    done = "The base is added"

    def get_context_data(self, **kwargs):
        bases = Base.objects.filter(agency=self.request.user.agency).select_related("council")
        return super().get_context_data(bases=bases, **kwargs)

    def write(self, form):
        services.save_base(form.save(commit=False), by=self.request.user)


class TeamsView(AdministrationPage):
    template_name = "partnership/teams.html"
    form_class = admin_forms.TeamForm
    title = "Teams"
    button = "Add the team"
    done = "The team is added"

    def get_context_data(self, **kwargs):
        teams = Team.objects.filter(agency=self.request.user.agency).select_related("base")
        return super().get_context_data(teams=teams, **kwargs)

    def write(self, form):
        services.save_team(form.save(commit=False), by=self.request.user)


class HeadOfServiceView(AdministrationPage):
    template_name = "partnership/head_of_service.html"
    form_class = admin_forms.HeadOfServiceForm
    title = "Head of Service"
    intro = "The present Head of Service's term ends the day before the new one's begins."
    button = "Record the Head of Service"
    done = "The Head of Service is recorded"

    def get_context_data(self, **kwargs):
        terms = HeadOfService.objects.filter(agency=self.request.user.agency).select_related("user")
        return super().get_context_data(terms=terms, **kwargs)

    def write(self, form):
        data = form.cleaned_data
        staffing.appoint_head_of_service(
            self.request.user.agency, data["user"], data["starts_on"], by=self.request.user
        )


class SecondmentsView(AdministrationPage):
    template_name = "partnership/secondments.html"
    form_class = admin_forms.SecondmentForm
    title = "Secondments"
    intro = (
        "Staff employed by their own council are not seconded unless a secondment is recorded here, "
        "with its own dates and terms."
    )
    button = "Record the secondment"
    done = "The secondment is recorded"

    def get_context_data(self, **kwargs):
        secondments = Secondment.objects.filter(user__agency=self.request.user.agency).select_related(
            "user", "from_council"
        )
        return super().get_context_data(secondments=secondments, **kwargs)

    def write(self, form):
        staffing.record_secondment(form.save(commit=False), by=self.request.user)


class EndSecondmentView(AdministrationPage):
    template_name = "partnership/admin_form.html"
    form_class = admin_forms.EndSecondmentForm
    title = "End a secondment"
    button = "Record the last day"
    done = "The secondment's last day is recorded"
    done_url = "partnership:secondments"

    def write(self, form):
        staffing.end_secondment(form.cleaned_data["secondment"], form.cleaned_data["ends_on"], by=self.request.user)


class StaffArrangementView(AdministrationPage):
    """The agreement's staffing model decides whether anyone is seconded (not a stored host)."""

    template_name = "partnership/admin_form.html"
    form_class = admin_forms.StaffArrangementForm
    title = "How staff work for the agency"
    intro = (
        "As the partnership agreement says. Under a model without secondment none can be recorded and "
        "none shows, whatever was recorded before."
    )
    button = "Save the staffing model"
    done = "The staffing model is recorded"

    def write(self, form):
        services.set_staff_arrangement(
            self.request.user.agency, form.cleaned_data["staff_arrangement"], by=self.request.user
        )
