"""The page of Ofsted's Annex A adoption lists (List 10 and List 11) for one council's inspection:
how many children and adopters are on each list, then the XLSX workbook. Downloading is a POST: it
writes the audit (the file, and each child and household in it)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from openraa.children.models import Child
from openraa.common import downloads, parsing
from openraa.households.models import Household
from openraa.performance import annex_a, annex_a_lists, services
from openraa.performance.forms import SealedExtractForm
from openraa.performance.models import ExtractDownload
from openraa.web.views import PolicyView


def _council(user, value):
    """The council named by its ONS code among those the user's returns grant reaches, else None."""
    code = value.strip() if isinstance(value, str) else ""
    return annex_a_lists.councils(user).filter(ons_code=code).first() if code else None


def _window(value) -> annex_a.Window:
    """The 12 months ending on the day given (not after today), else those ending today."""
    today = timezone.localdate()
    day = parsing.iso_date(value)
    return annex_a.Window(day if day is not None and day <= today else today)


class AnnexADownloadForm(SealedExtractForm):
    sealed_label = "Include sealed adoption records (children adopted in the 12 months) in List 10?"

    council = forms.CharField(widget=forms.HiddenInput)
    on = forms.CharField(widget=forms.HiddenInput)
    understood = forms.BooleanField(
        label="I will hand the file to the inspectors only through the secure route Ofsted gives, never by e-mail",
        error_messages={"required": "Confirm that you will not send the file by e-mail"},
    )

    def clean_council(self):
        council = _council(self.user, self.cleaned_data["council"])
        if council is None:
            raise forms.ValidationError("Choose a council of the agency")
        return council

    def clean_on(self):
        day = parsing.iso_date(self.cleaned_data["on"])
        if day is None or day > timezone.localdate():
            raise forms.ValidationError("Choose a day that is not in the future")
        return annex_a.Window(day)


class AnnexAView(PolicyView, TemplateView):
    """List 10 (adoption) and List 11 (adopters) of one council for the 12 months before a day."""

    permission = ("returns", "view")
    template_name = "performance/annex_a.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        councils = list(annex_a_lists.councils(user))
        council = (
            kwargs.pop("council", None)
            or _council(user, self.request.GET.get("council"))
            or (councils[0] if councils else None)
        )
        if council is None:
            raise Http404  # an agency with no member council has no list to give
        window = kwargs.pop("window", None) or _window(self.request.GET.get("on"))
        lists = annex_a_lists.lists_for(user, council, window)
        form = kwargs.pop("form", None) or AnnexADownloadForm(
            initial={"council": council.ons_code, "on": window.ends_on.isoformat()}, user=user
        )
        return super().get_context_data(
            councils=councils,
            council=council,
            window=window,
            lists=lists,
            form=form,
            today=timezone.localdate(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        user = request.user
        form = AnnexADownloadForm(request.POST, user=user)
        if not form.is_valid():
            council = form.cleaned_data.get("council")
            window = form.cleaned_data.get("on") or _window(None)
            return self.render_to_response(self.get_context_data(form=form, council=council, window=window), status=400)
        council, window, purpose = form.cleaned_data["council"], form.cleaned_data["on"], form.stated_purpose()
        lists = annex_a_lists.lists_for(user, council, window, include_sealed=bool(purpose))
        content = annex_a_lists.workbook(lists)
        services.record_download(
            request,
            ExtractDownload.Extract.ANNEX_A,
            "xlsx",
            f"{council.ons_code} {window.starts_on:%Y-%m-%d} to {window.ends_on:%Y-%m-%d}",
            rows=len(lists.children) + len(lists.adopters),
            records=[(Child, lists.child_ids), (Household, lists.household_ids)],
            sealed_ids=lists.sealed_ids,
            purpose=purpose,
        )
        filename = f"{user.agency.code}_annex_a_adoption_{council.ons_code}_{window.ends_on:%Y-%m-%d}.xlsx"
        return downloads.attachment(content, downloads.XLSX_TYPE, filename)
