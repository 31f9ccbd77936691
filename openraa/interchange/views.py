"""The SSDA903 upload page for administrators: runs the same import as `openraa import_ssda903`,
then shows what it did and the reason report, which can be downloaded as CSV; the reconciliation
page sets each council's year's return against what OpenRAA holds."""

import csv
import io

from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from openraa.common import downloads
from openraa.interchange import services
from openraa.interchange.forms import UploadForm
from openraa.interchange.models import ImportRun
from openraa.people import policy
from openraa.web.views import PolicyView

SHOWN_LINES = 200


def _runs(user):
    return policy.restrict(ImportRun.objects.select_related("council", "by"), user, "interchange", "view")


class UploadView(PolicyView, FormView):
    permission = ("interchange", "add")
    template_name = "interchange/upload.html"
    form_class = UploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "councils": policy.councils_for(self.request.user, "interchange", "add")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(runs=_runs(self.request.user)[:10], **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.import_return(
                data["files"], data["council"], data["year"], by=self.request.user, source=ImportRun.Source.UPLOAD
            )
        except ValueError as error:
            form.add_error("council", str(error))
            return self.form_invalid(form)
        return redirect("interchange:run", pk=result.run.pk)


class RunView(PolicyView, TemplateView):
    permission = ("interchange", "view")
    template_name = "interchange/run.html"

    def get_context_data(self, **kwargs):
        run = get_object_or_404(_runs(self.request.user), pk=self.kwargs["pk"])
        lines = list(csv.DictReader(io.StringIO(run.report)))
        counts = {
            outcome: sum(1 for line in lines if line["outcome"] == outcome)
            for outcome in ("refused", "rejected", "skipped", "warning", "note")
        }
        return super().get_context_data(
            run=run, lines=lines[:SHOWN_LINES], more=max(0, len(lines) - SHOWN_LINES), line_counts=counts, **kwargs
        )


class ReconciliationView(PolicyView, TemplateView):
    """Per council and collection year (its latest import): children, episodes and adoptions in the
    return against what OpenRAA holds, as its own return would count them."""

    permission = ("interchange", "view")
    template_name = "interchange/reconciliation.html"

    MEASURES = (
        ("children", "Children with an adoption plan"),
        ("episodes", "Their episodes"),
        ("adoptions", "Adoptions in the year"),
    )

    def get_context_data(self, **kwargs):
        rows = services.reconciliation(_runs(self.request.user), timezone.localdate())
        for row in rows:
            row["parts"] = [
                (label, row["return"][name], row["openraa"][name], row["difference"][name])
                for name, label in self.MEASURES
            ]
        return super().get_context_data(rows=rows, **kwargs)


class ReportView(PolicyView, View):
    permission = ("interchange", "view")

    def get(self, request, pk):
        run = get_object_or_404(_runs(request.user), pk=pk)
        header, rows = services.report_file(run)
        return downloads.csv_response(
            f"ssda903-{run.council.ons_code}-{run.year}-import-{run.pk}-report.csv", header, rows
        )
