"""Performance pages: the scorecard, the board pack (page, PDF, XLSX) and the national quarterly
return (child-level and adopter-level files). The scorecard and the board pack are aggregates;
the return's files are for the `returns` grant only, and every file handed out is audited."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from openraa.audit.models import record_views_bulk
from openraa.children.models import Child
from openraa.common import parsing
from openraa.households.models import Household
from openraa.people import policy
from openraa.performance import exports, returns
from openraa.performance import scorecard as sc
from openraa.performance.models import ExtractDownload
from openraa.performance.present import BoardOutput, ScorecardOutput
from openraa.performance.selectors import board_for, council_names, scorecard_for, suppress_for
from openraa.web.forms import GovukForm
from openraa.web.views import PolicyView

YEARS_OFFERED = 8


def year_choices(today: date) -> list[tuple[int, str]]:
    current = sc.year_of(today)
    return [(y, sc.financial_year(y).label) for y in range(current, current - YEARS_OFFERED, -1)]


def parse_year(value: str | None, today: date) -> int:
    """`2025` or `2025-26`: the financial year starting in April 2025. Anything else: the current one."""
    offered = dict(year_choices(today))
    year = parsing.financial_year(value)
    return year if year in offered else sc.year_of(today)


class ScorecardView(PolicyView, TemplateView):
    """A10, A1 and A2 per year and over 3 years, per council and for the agency, against the
    thresholds; the year's activity; timeliness by age, ethnic group, disability and siblings."""

    permission = ("aggregates", "view")
    template_name = "performance/scorecard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        year = parse_year(self.request.GET.get("year"), today)
        suppress = suppress_for(user)
        card = scorecard_for(user, year=year, as_of=today)
        codes = {g.code for g in card.councils}
        council = self.request.GET.get("council", "")
        breakdown = council if (council in codes and not suppress) else sc.AGENCY
        output = ScorecardOutput(card, suppress=suppress, breakdown_group=breakdown)
        return super().get_context_data(
            card=card,
            suppress=suppress,
            timeliness=[output.timeliness(i) for i in ("a10", "a1", "a2")],
            activity=[output.activity(), output.activity(window=True)],
            breakdowns=output.breakdowns(),
            breakdown_name=card.group(breakdown).name,
            notes=output.notes(),
            years=year_choices(today),
            year=year,
            councils=[(g.code, g.name) for g in card.councils],
            council=breakdown,
            can_see_returns=policy.can(user, "returns", "view"),
            **kwargs,
        )


class BoardPackView(PolicyView, TemplateView):
    """The board pack: aggregates only, small numbers always suppressed, charts drawn on the server."""

    permission = ("aggregates", "view")
    template_name = "performance/board.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = parse_year(self.request.GET.get("year"), today)
        card, board = board_for(self.request.user, year=year, as_of=today)
        pack = BoardOutput(card, board, suppress=True)
        charts = {c.key: c for c in pack.charts()}
        tables = {t.key: t for t in pack.tables()}
        sections = [
            ("Scorecard", [(None, tables["summary"]), (None, tables["a10"]), (None, tables["a1"]),
                           (None, tables["a2"])]),
            ("Quarterly trends by council", [
                (charts["chart-adoptions"], tables["quarterly-adoptions"]),
                (charts["chart-a10"], tables["quarterly-a10"]),
                (charts["chart-waiting"], tables["quarterly-children-waiting"]),
                (None, tables["quarterly-placement-orders"]), (None, tables["quarterly-approvals"]),
            ]),
            ("Children waiting", [(charts["chart-waits"], tables["waits"]),
                                  (charts["chart-hard"], tables["hard-to-place"])]),
            ("Activity", [(None, tables["activity"])]),
        ]
        return super().get_context_data(card=card, sections=sections, years=year_choices(today), year=year,
                                        **kwargs)


class BoardPackDownloadView(PolicyView, View):
    """The board pack as PDF or XLSX: the same tables and charts as the page."""

    permission = ("aggregates", "view")

    def get(self, request, file_format: str):
        if file_format not in ("pdf", "xlsx"):
            raise Http404
        today = timezone.localdate()
        year = parse_year(request.GET.get("year"), today)
        card, board = board_for(request.user, year=year, as_of=today)
        pack = BoardOutput(card, board, suppress=True)
        agency = request.user.agency
        if file_format == "pdf":
            content, content_type = exports.board_pdf(pack, agency.name), exports.PDF_TYPE
        else:
            content, content_type = exports.board_xlsx(pack, agency.name), exports.XLSX_TYPE
        ExtractDownload.objects.create(user=request.user, agency=agency, extract=ExtractDownload.Extract.BOARD_PACK,
                                       file_format=file_format, period=card.year.label, path=request.path[:300])
        return _attachment(content, content_type, f"{agency.code}_board_pack_{card.year.label}.{file_format}")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


DOWNLOADS = {f"{kind}-{fmt}": (kind, fmt) for kind in ("children", "adopters", "support") for fmt in ("xlsx", "csv")}


class ReturnDownloadForm(GovukForm):
    """The quarter (hidden), the confirmation, and the file: the button pressed sends `download`."""

    quarter = forms.CharField(widget=forms.HiddenInput)
    understood = forms.BooleanField(
        label="I have read the data-quality warnings, and I will upload the file to the data collection, never "
              "send it by e-mail",
        error_messages={"required": "Confirm that you have read the warnings and will not send the file by e-mail"},
    )
    download = forms.ChoiceField(choices=[(key, key) for key in DOWNLOADS])

    def clean_quarter(self):
        start = parsing.iso_date(self.cleaned_data["quarter"])
        if start is None:
            raise forms.ValidationError("Choose a quarter that has begun")
        if sc.quarter_of(start).start != start or start > timezone.localdate():
            raise forms.ValidationError("Choose a quarter that has begun")
        return start


class ReturnsView(PolicyView, TemplateView):
    """The national quarterly return for one quarter: the warnings first, then the four files.
    Downloading is a POST: it writes the audit."""

    permission = ("returns", "view")
    template_name = "performance/returns.html"

    def quarters(self):
        return returns.quarters(timezone.localdate())

    def chosen_quarter(self, value: str | date | None) -> sc.Period:
        """The quarter starting on the day given (any quarter that has begun; the page offers the
        latest eight), else the latest quarter that has ended."""
        today = timezone.localdate()
        start = parsing.iso_date(value)
        if start is None:
            return returns.default_quarter(today)
        quarter = sc.quarter_of(start)
        return quarter if quarter.start == start and start <= today else returns.default_quarter(today)

    def get_context_data(self, **kwargs):
        user = self.request.user
        quarter = kwargs.pop("quarter", None) or self.chosen_quarter(self.request.GET.get("quarter"))
        extracts = [returns.children_extract(user, quarter), returns.adopters_extract(user, quarter)]
        if policy.can(user, "support", "view"):
            extracts.append(returns.support_extract(user, quarter))
        downloads = (ExtractDownload.objects.filter(agency=user.agency)
                     .exclude(extract=ExtractDownload.Extract.BOARD_PACK).select_related("user")[:20])
        return super().get_context_data(
            quarter=quarter,
            quarters=[*self.quarters(), *([] if quarter in self.quarters() else [quarter])],
            extracts=extracts,
            may_download_support=policy.can(user, "support", "view"),
            form=kwargs.pop("form", None) or ReturnDownloadForm(initial={"quarter": quarter.start.isoformat()}),
            downloads=downloads,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ReturnDownloadForm(request.POST)
        if not form.is_valid():
            quarter = self.chosen_quarter(request.POST.get("quarter"))
            return self.render_to_response(self.get_context_data(form=form, quarter=quarter), status=400)
        quarter = self.chosen_quarter(form.cleaned_data["quarter"])
        kind, file_format = DOWNLOADS[form.cleaned_data["download"]]
        if kind == "support" and not policy.can(request.user, "support", "view"):
            raise PermissionDenied
        extract = returns.EXTRACTS[kind](request.user, quarter)
        agency = request.user.agency
        if file_format == "csv":
            content, content_type = exports.extract_csv(extract), exports.CSV_TYPE
        else:
            content, content_type = exports.extract_xlsx(extract, agency.name), exports.XLSX_TYPE
        ExtractDownload.objects.create(user=request.user, agency=agency, extract=kind, file_format=file_format,
                                       period=quarter.label, rows=len(extract.rows), warnings=extract.warning_count,
                                       path=request.path[:300])
        if extract.record_ids:  # the support counts name no record
            record_views_bulk(request.user, Child if kind == "children" else Household, extract.record_ids, request,
                              "export")
        filename = f"{agency.code}_asglb_{kind}_{quarter.label.replace(' ', '_')}.{file_format}"
        return _attachment(content, content_type, filename)


class ScorecardApiView(APIView):
    """The scorecard as JSON: the same figures as the page, suppressed for aggregates-only roles."""

    policy_resource = "aggregates"

    @extend_schema(
        parameters=[OpenApiParameter("year", str, description="Financial year: 2025 or 2025-26 (default: current)"),
                    OpenApiParameter("council", str, description="ONS code of the council whose breakdowns to give")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        today = timezone.localdate()
        year = parse_year(request.query_params.get("year"), today)
        suppress = suppress_for(request.user)
        card = scorecard_for(request.user, year=year, as_of=today)
        council = request.query_params.get("council", "")
        group = council if not suppress and council in council_names(request.user.agency) else sc.AGENCY
        return Response(ScorecardOutput(card, suppress=suppress, breakdown_group=group).api_dict())
