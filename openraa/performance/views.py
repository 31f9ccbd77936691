"""Performance pages: the scorecard, the board pack (page, PDF, XLSX) and the national quarterly
return (child-level and adopter-level files). The scorecard and the board pack are aggregates;
the return's files are for the `returns` grant only, and every file handed out is audited."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView, View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from openraa.children.models import Child
from openraa.common import downloads, parsing, years
from openraa.common.years import FinancialYear
from openraa.households.models import Household
from openraa.people import policy
from openraa.performance import exports, returns, services
from openraa.performance import scorecard as sc
from openraa.performance.forms import SealedExtractForm
from openraa.performance.models import ExtractDownload
from openraa.performance.present import SCORECARD_SCHEMA, BoardOutput, ScorecardOutput, as_dict, breakdown_groups
from openraa.performance.selectors import in_house_table, offered_years, published_for
from openraa.web.views import PolicyView


def year_choices(today: date) -> list[tuple[str, str]]:
    return [(y.label, y.label) for y in offered_years(today)]


def chosen_year(value: str | None, today: date) -> tuple[FinancialYear, str]:
    """The year asked for (`?year=2024-25`, or `2025` for the same year: common/years.py) and "",
    or, when it is not a year the pages offer, the current year and why the one asked for is not
    shown. Only the years offered can be asked for: they are the ones suppressed together."""
    current = FinancialYear.containing(today)
    if value in (None, ""):
        return current, ""
    year = years.parse(value)
    if year is None:
        return current, years.refusal(value)
    offered = offered_years(today)
    if year not in offered:
        return current, (
            f"{year.label} is not offered: choose a year from {offered[-1].label} to "
            f"{offered[0].label}. Showing {current.label}."
        )
    return year, ""


class ScorecardView(PolicyView, TemplateView):
    """Every scorecard indicator (A1-A16) for the year and over the 3 years, per council and for all
    councils together; A10, A1, A2 and A3 per year against the thresholds; the year's activity;
    timeliness by age, sex, ethnic group, disability and siblings."""

    permission = ("aggregates", "view")
    template_name = "performance/scorecard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        year, year_problem = chosen_year(self.request.GET.get("year"), today)
        published = published_for(user, year=year, as_of=today)
        card = published.card
        output = ScorecardOutput(
            card, disclosure=published.disclosure, breakdown_group=self.request.GET.get("council", "")
        )
        breakdown = output.breakdown_group
        last = len(card.agency.years) - 1
        return super().get_context_data(
            card=card,
            suppress=output.suppress,
            indicators=[output.indicators(last), output.indicators()],
            earlier_years=[output.indicators(i) for i in range(last)],
            timeliness=[output.timeliness(i) for i in ("a10", "a1", "a2")] + [output.a3()],
            activity=[output.activity(), output.activity(window=True)],
            breakdowns=output.breakdowns(),
            breakdown_name=card.group(breakdown).name,
            notes=output.notes(),
            years=year_choices(today),
            year=year.label,
            year_problem=year_problem,
            councils=[(g.code, g.name) for g in card.councils if g.code in breakdown_groups(card, output.d.viewer)],
            council=breakdown,
            can_see_returns=policy.can(user, "returns", "view"),
            **kwargs,
        )


class BoardPackView(PolicyView, TemplateView):
    """The board pack: aggregates only, small numbers suppressed as the board sees them (a council's
    own staff see their own council's exactly), charts drawn on the server."""

    permission = ("aggregates", "view")
    template_name = "performance/board.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year, year_problem = chosen_year(self.request.GET.get("year"), today)
        published = published_for(self.request.user, year=year, as_of=today, board_pack=True)
        card = published.card
        pack = BoardOutput(
            card,
            published.board,
            disclosure=published.disclosure,
            extra=[in_house_table(self.request.user, year)],
        )
        charts = {c.key: c for c in pack.charts()}
        tables = {t.key: t for t in pack.tables()}
        sections = [
            (
                "Scorecard",
                [
                    (None, tables["summary"]),
                    (None, tables[f"indicators-{card.year.label}"]),
                    (None, tables["indicators-window"]),
                    (None, tables["a10"]),
                    (None, tables["a1"]),
                    (None, tables["a2"]),
                    (None, tables["a3"]),
                ],
            ),
            (
                "Quarterly trends by council",
                [
                    (charts["chart-adoptions"], tables["quarterly-adoptions"]),
                    (charts["chart-a10"], tables["quarterly-a10"]),
                    (charts["chart-waiting"], tables["quarterly-children-waiting"]),
                    (None, tables["quarterly-placement-orders"]),
                    (None, tables["quarterly-approvals"]),
                ],
            ),
            (
                "Children waiting",
                [(charts["chart-waits"], tables["waits"]), (charts["chart-hard"], tables["hard-to-place"])],
            ),
            ("Activity", [(None, tables["activity"])]),
            # Kent 2020: the agency exists to place more children "in house".
            ("Placements with the agency's own adopters", [(None, tables["in-house"])]),
        ]
        return super().get_context_data(
            card=card,
            sections=sections,
            years=year_choices(today),
            year=year.label,
            year_problem=year_problem,
            **kwargs,
        )


class BoardPackDownloadView(PolicyView, View):
    """The board pack as PDF or XLSX: the same tables and charts as the page."""

    permission = ("aggregates", "view")

    def get(self, request, file_format: str):
        if file_format not in ("pdf", "xlsx"):
            raise Http404
        today = timezone.localdate()
        year, _ = chosen_year(request.GET.get("year"), today)
        published = published_for(request.user, year=year, as_of=today, board_pack=True)
        card = published.card
        pack = BoardOutput(
            card, published.board, disclosure=published.disclosure, extra=[in_house_table(request.user, year)]
        )
        agency = request.user.agency
        if file_format == "pdf":
            content, content_type = exports.board_pdf(pack, agency.name), exports.PDF_TYPE
        else:
            content, content_type = exports.board_xlsx(pack, agency.name), downloads.XLSX_TYPE
        services.record_download(request, ExtractDownload.Extract.BOARD_PACK, file_format, card.year.label)
        return downloads.attachment(content, content_type, f"{agency.code}_board_pack_{card.year.label}.{file_format}")


DOWNLOADS = {
    f"{kind}-{fmt}": (kind, fmt) for kind in ("children", "adopters", "support", "counts") for fmt in ("xlsx", "csv")
}


class ReturnDownloadForm(SealedExtractForm):
    """The quarter (hidden), the confirmation, and the file: the button pressed sends `download`."""

    sealed_label = "Include sealed adoption records (adopted children) in the child-level file?"

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
        extracts.append(returns.counts_extract(user, quarter))
        downloads = (
            ExtractDownload.objects.filter(agency=user.agency)
            .exclude(extract=ExtractDownload.Extract.BOARD_PACK)
            .select_related("user")[:20]
        )
        return super().get_context_data(
            quarter=quarter,
            quarters=[*self.quarters(), *([] if quarter in self.quarters() else [quarter])],
            extracts=extracts,
            may_download_support=policy.can(user, "support", "view"),
            form=kwargs.pop("form", None)
            or ReturnDownloadForm(initial={"quarter": quarter.start.isoformat()}, user=user),
            downloads=downloads,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ReturnDownloadForm(request.POST, user=request.user)
        if not form.is_valid():
            quarter = self.chosen_quarter(request.POST.get("quarter"))
            return self.render_to_response(self.get_context_data(form=form, quarter=quarter), status=400)
        quarter = self.chosen_quarter(form.cleaned_data["quarter"])
        kind, file_format = DOWNLOADS[form.cleaned_data["download"]]
        if kind == "support" and not policy.can(request.user, "support", "view"):
            raise PermissionDenied
        purpose = form.stated_purpose()
        if kind == "children":
            extract = returns.children_extract(request.user, quarter, include_sealed=bool(purpose))
        else:
            extract = returns.EXTRACTS[kind](request.user, quarter)
        agency = request.user.agency
        if file_format == "csv":
            content, content_type = exports.extract_csv(extract), downloads.CSV_TYPE
        else:
            content, content_type = exports.extract_xlsx(extract, agency.name), downloads.XLSX_TYPE
        services.record_download(
            request,
            kind,
            file_format,
            quarter.label,
            rows=len(extract.rows),
            warnings=extract.warning_count,
            records=[(Child if kind == "children" else Household, extract.record_ids)],  # none in the support counts
            sealed_ids=extract.sealed_ids,
            purpose=purpose,
        )
        filename = f"{agency.code}_asglb_{kind}_{quarter.label.replace(' ', '_')}.{file_format}"
        return downloads.attachment(content, content_type, filename)


class ScorecardApiView(APIView):
    """The scorecard as JSON: the same figures as the page, suppressed as on the page, in the same
    structure as `openraa scorecard --json` (present.as_dict)."""

    policy_resource = "aggregates"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                str,
                description=f"{years.HELP[0].upper()}{years.HELP[1:]} (default: the current year); one of the last 8",
            ),
            OpenApiParameter("council", str, description="ONS code of the council whose breakdowns to give"),
        ],
        responses={
            200: OpenApiResponse(SCORECARD_SCHEMA, description="The scorecard"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="The year is not one offered"),
        },
    )
    def get(self, request):
        today = timezone.localdate()
        year, problem = chosen_year(request.query_params.get("year"), today)
        if problem:
            return Response({"year": [problem]}, status=400)
        published = published_for(request.user, year=year, as_of=today)
        output = ScorecardOutput(
            published.card, disclosure=published.disclosure, breakdown_group=request.query_params.get("council", "")
        )
        return Response(as_dict(output))
