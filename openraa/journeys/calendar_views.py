"""Panels as they run: the calendar of panel dates (a page, a signed-in iCalendar download and a
per-user feed for calendar apps), and the panel pack PDF for the members."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from openraa.audit import reads
from openraa.audit.models import RecordView
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.common import downloads
from openraa.households.models import Household
from openraa.households.selectors import households_for
from openraa.journeys import calendar_feed, definitions, pack, panels, papers
from openraa.journeys.models import PanelMeeting
from openraa.journeys.selectors import journey_history
from openraa.people import policy
from openraa.people.models import User
from openraa.web.views import PolicyView

RECENT_DAYS = 92  # the calendar page shows the last three months and everything ahead
FEED_DAYS = 366  # the feed keeps a year of past panels in the calendar app


def meetings_for(user):
    return policy.restrict(PanelMeeting.objects.all(), user, "panel", "view")


def _counted(meetings):
    return meetings.annotate(item_count=Count("items", distinct=True)).order_by("held_on", "pk")


def _feed_text(user) -> str:
    since = timezone.localdate() - timedelta(days=FEED_DAYS)
    dates = [
        calendar_feed.PanelDate(key=m.pk, held_on=m.held_on, items=m.item_count)
        for m in _counted(meetings_for(user).filter(held_on__gte=since))[:500]
    ]
    return calendar_feed.ics(
        dates,
        calendar_name=f"{user.agency.name}: adoption panels",
        uid_domain=f"{user.agency.code}.openraa",
        now=timezone.now(),
    )


class CalendarView(PolicyView, TemplateView):
    """Panel dates by month: recent and upcoming, with the number of items and the quorum."""

    permission = ("panel", "view")
    template_name = "panels/calendar.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        meetings = _counted(meetings_for(user).filter(held_on__gte=today - timedelta(days=RECENT_DAYS)))
        meetings = meetings.prefetch_related("attended_by")[:300]
        rows = [
            panels.CalendarRow(
                held_on=m.held_on,
                items=m.item_count,
                quorate=(not m.quorum_problems()) if m.attended_by.all() else None,
                key=m.pk,
            )
            for m in meetings
        ]
        feed_url = self.request.build_absolute_uri(
            reverse("panels:calendar-feed", args=[calendar_feed.make_token(user)])
        )
        return super().get_context_data(months=panels.by_month(rows), today=today, feed_url=feed_url, **kwargs)


class CalendarDownloadView(PolicyView, View):
    """The same feed for a signed-in user: a file to import."""

    permission = ("panel", "view")

    def get(self, request):
        user = request.user
        return downloads.attachment(_feed_text(user), calendar_feed.CALENDAR_TYPE, f"{user.agency.code}_panels.ics")


class CalendarFeedView(View):
    """The feed a calendar app fetches with the user's signed token instead of a session. A token
    this site did not sign, of a user no longer active or no longer in the agency it names, or given
    before the user's password last changed, is "not found"; a user who has lost the panel grant is
    refused."""

    openraa_public = True

    def get(self, request, token: str):
        named = calendar_feed.read_token(token)
        if named is None:
            raise Http404
        user_id, agency_id, key = named
        user = User.objects.filter(pk=user_id, agency_id=agency_id, is_active=True).select_related("agency").first()
        if user is None or not calendar_feed.still_valid(user, key):
            raise Http404
        if not policy.can(user, "panel", "view"):
            raise PermissionDenied
        response = HttpResponse(_feed_text(user), content_type=calendar_feed.CALENDAR_TYPE)
        response["Cache-Control"] = "no-store"
        return response


def _journey_lines(record) -> list[str]:
    """The dated history as the paper page shows it beside the record."""
    if isinstance(record, Child):
        journey = definitions.child_journey(record.date_of_birth)
    else:
        journey = definitions.household_journey(
            record.fast_track, (record.approved_children, record.age_min, record.age_max)
        )
    lines = []
    for line in journey_history(record, journey):
        entry: Any = line.entry  # a ChildStep or a HouseholdStep
        on = entry.occurred_on
        text = f"{on.day} {on:%B %Y}: {line.label}"
        if line.superseded_by:
            text += " (superseded)"
        if entry.note:
            text += f" - {entry.note}"
        lines.append(text)
    return lines


def _applicant_line(applicant) -> str:
    return (
        f"{applicant} - born {applicant.date_of_birth.day} {applicant.date_of_birth:%B %Y}, "
        f"{applicant.get_sex_display()}, {applicant.get_ethnicity_display()}"
    )


def _audit_download(request, shown: dict[type[Model], set[int]], reason: str) -> None:
    """One audit row per person's record in the file, children and households in one statement."""
    reads.record_views_many(request.user, shown, request, RecordView.Channel.EXPORT, reason)


class PanelPackView(PolicyView, View):
    """The panel pack PDF for those who read panel papers; every record in it audited as a download."""

    permission = ("panel", "view")

    def get(self, request, pk: int):
        user = request.user
        meeting = get_object_or_404(meetings_for(user), pk=pk)
        if not papers.may_read_papers(user):
            raise PermissionDenied
        items = list(meeting.items.select_related("household").prefetch_related("children").order_by("position", "id"))
        child_ids = {c.pk for item in items for c in item.children.all()}
        household_ids = {item.household_id for item in items if item.household_id}
        reach_children = set(children_for(user).filter(pk__in=child_ids).values_list("pk", flat=True))
        reach_households = set(households_for(user).filter(pk__in=household_ids).values_list("pk", flat=True))
        shown: dict[type[Model], set[int]] = {Child: set(), Household: set()}

        def paper_of(record) -> pack.Paper:
            is_child = isinstance(record, Child)
            title = f"{'Child' if is_child else 'Household'} {record.reference}"
            if getattr(record, "sealed", False):  # its reference and stage only, as everywhere
                return pack.Paper(title, withheld="Sealed adoption record: not in the pack")
            if record.pk not in (reach_children if is_child else reach_households):
                return pack.Paper(title, withheld="Not shown: the record is outside what you may see")
            shown[type(record)].add(record.pk)
            if is_child:
                paper = papers.child_paper(record, user)
                needs = [f"{need}: {level}" for need, level in paper["needs"]]
                return pack.Paper(title, rows=paper["rows"], needs=needs, journey=_journey_lines(record))
            paper = papers.household_paper(record, user)
            return pack.Paper(
                title,
                rows=paper["rows"],
                applicants=[_applicant_line(a) for a in paper["applicants"]],
                needs=[f"{need}: {level}" for need, level in paper["needs"]],
                journey=_journey_lines(record),
            )

        members = list(meeting.attended_by.all())
        problems = meeting.quorum_problems()
        lines = [
            f"Date of the panel: {meeting.held_on.day} {meeting.held_on:%B %Y}",
            "Attended: " + ("; ".join(str(m) for m in members) if members else "no attendance recorded"),
            ("Quorate" if not problems else "Not quorate: " + "; ".join(problems)) if members else "",
            f"{len(items)} item{'' if len(items) == 1 else 's'} on the agenda",
        ]
        built = []
        for item in items:
            records = ([item.household] if item.household_id else []) + list(item.children.all())
            item_lines = []
            if item.recommendation:
                item_lines.append(f"Recommendation: {item.get_recommendation_display()}. {item.reasons}")
            built.append(
                pack.PackItem(
                    heading=item.get_kind_display() + "".join(f" - {r.reference}" for r in records),
                    lines=item_lines,
                    papers=[paper_of(r) for r in records],
                )
            )
        content = pack.pack_pdf(
            pack.Pack(
                title=f"{meeting}: panel pack", agency=meeting.agency.name, lines=[x for x in lines if x], items=built
            )
        )
        _audit_download(request, shown, f"Panel pack: {meeting}")
        return downloads.attachment(content, pack.PDF_TYPE, f"panel_pack_{meeting.held_on:%Y-%m-%d}.pdf")
