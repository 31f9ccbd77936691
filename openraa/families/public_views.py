"""The public front door, no sign-in: each agency's page about adopting, and registering interest
as GOV.UK question pages (one thing per page, check your answers, confirmation). Answers are kept in
the visitor's session until they confirm; only then is anything written. Posts are rate limited per
address; a honeypot field turns robots away without telling them."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from openraa.families import accounts, forms, front_door, services
from openraa.families.models import FrontDoorSettings
from openraa.matching.engine.postcodes import council_code_of, district_of
from openraa.partnership.models import Agency, Council
from openraa.people.middleware import public

SESSION = "openraa_front_door"
POST_RATE = "20/h"  # one family's registration takes about 15 posts

FIXED_STEPS = ["name", "partner", "children", "contact", "postcode", "agency", "council", "source"]
MONITORING_STEPS = [f"about-you-{key.replace('_', '-')}" for key in front_door.MONITORING]
STEPS = FIXED_STEPS + MONITORING_STEPS
STEP_FORMS: dict[str, type[forms.GovukForm]] = {
    "name": forms.NamesForm,
    "partner": forms.PartnerForm,
    "children": forms.ChildrenForm,
    "contact": forms.ContactForm,
    "postcode": forms.PostcodeForm,
    "source": forms.SourceForm,
    **{step: forms.monitoring_form(key) for step, key in zip(MONITORING_STEPS, front_door.MONITORING)},
}


def _limited(request) -> bool:
    return is_ratelimited(request, group="front-door", key="ip", rate=POST_RATE, method="POST", increment=True)


def too_many(request) -> HttpResponse:
    return render(request, "families/too_many.html", status=429)


def _answers(request) -> dict:
    return request.session.get(SESSION, {})


def _save(request, answers: dict) -> None:
    request.session[SESSION] = answers


def _agencies():
    return list(Agency.objects.select_related("front_door").order_by("name"))


def _suggested(answers: dict, agencies) -> list[int]:
    district = district_of(answers.get("postcode", "")) if answers.get("postcode") else ""
    rows = [(a.pk, a.front_door.prefixes() if hasattr(a, "front_door") else []) for a in agencies]
    return front_door.suggest(rows, district) if district else []


def _council_known(answers: dict) -> bool:
    return bool(answers.get("council"))


def _skip(step: str, answers: dict) -> bool:
    return step == "council" and answers.get("council_from_postcode", False)


def _next_step(step: str, answers: dict) -> str:
    index = STEPS.index(step) + 1
    while index < len(STEPS) and _skip(STEPS[index], answers):
        index += 1
    return reverse("adopt:question", args=[STEPS[index]]) if index < len(STEPS) else reverse("adopt:check")


@public
def index(request):
    return render(request, "families/index.html", {"agencies": _agencies()})


@public
def agency_page(request, code: str):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise Http404
    settings = FrontDoorSettings.objects.filter(agency=agency).first()
    return render(request, "families/agency.html", {"agency": agency, "settings": settings})


@public
def privacy(request):
    return render(request, "families/privacy.html")


@public
def start(request):
    answers = {}
    code = request.GET.get("agency", "")
    if Agency.objects.filter(code=code).exists():
        answers["preferred_agency"] = code
    _save(request, answers)
    return redirect("adopt:question", step=STEPS[0])


@public
@require_http_methods(["GET", "POST"])
def question(request, step: str):
    if step not in STEPS:
        raise Http404
    answers = _answers(request)
    if step != STEPS[0] and "first_name" not in answers:
        return redirect("adopt:start")
    agencies = _agencies()
    form_class: type[forms.GovukForm]
    kwargs: dict
    if step == "agency":
        suggested = _suggested(answers, agencies)
        ordered = sorted(
            agencies, key=lambda a: (a.pk not in suggested, suggested.index(a.pk) if a.pk in suggested else 0, a.name)
        )
        kwargs = {"agencies": ordered, "suggested": suggested}
        initial = {
            "agency": answers.get("agency")
            or answers.get("preferred_agency")
            or (ordered[0].code if suggested else None)
        }
        form_class = forms.AgencyForm
    elif step == "council":
        kwargs = {"councils": Council.objects.order_by("name")}
        initial = {"council": answers.get("council")}
        form_class = forms.CouncilForm
    else:
        form_class = STEP_FORMS[step]
        kwargs = {}
        if step.startswith("about-you-"):
            key = front_door_key(step)
            initial = {"answer": answers.get("monitoring", {}).get(key, "")}
        else:
            initial = {name: answers.get(name) for name in form_class.base_fields}
    if request.method == "POST":
        if _limited(request):
            return too_many(request)
        form = form_class(request.POST, initial=initial, **kwargs)
        if isinstance(form, forms.HoneypotForm) and form.is_robot():
            _save(request, {"robot": True, "first_name": "-"})
            return redirect("adopt:check")
        if form.is_valid():
            _remember(step, form.cleaned_data, answers)
            _save(request, answers)
            if request.GET.get("change") and step not in ("postcode",):
                return redirect("adopt:check")
            return redirect(_next_step(step, answers))
    else:
        form = form_class(initial=initial, **kwargs)
    back = STEPS[STEPS.index(step) - 1] if step != STEPS[0] else None
    if back and _skip(back, answers):
        back = STEPS[STEPS.index(back) - 1]
    return render(
        request,
        "families/question.html",
        {
            "form": form,
            "step": step,
            "title": form_class.title if hasattr(form_class, "title") else "",
            "back": reverse("adopt:question", args=[back]) if back else reverse("adopt:index"),
            "monitoring": step.startswith("about-you-"),
            "first_monitoring": step == MONITORING_STEPS[0],
        },
    )


def front_door_key(step: str) -> str:
    return step.removeprefix("about-you-").replace("-", "_")


def _remember(step: str, data: dict, answers: dict) -> None:
    if step.startswith("about-you-"):
        monitoring = answers.setdefault("monitoring", {})
        if data.get("answer"):
            monitoring[front_door_key(step)] = data["answer"]
        else:
            monitoring.pop(front_door_key(step), None)
        return
    data = {k: v for k, v in data.items() if k != forms.HONEYPOT}
    if step == "council":
        answers["council"] = int(data["council"])
        return
    answers.update(data)
    if step == "postcode":
        code = council_code_of(data["postcode"])
        council = Council.objects.filter(ons_code=code).first() if code else None
        answers["council_from_postcode"] = council is not None
        answers["council"] = council.pk if council else None


@public
def skip_monitoring(request):
    answers = _answers(request)
    if "first_name" not in answers:
        return redirect("adopt:start")
    answers["monitoring"] = {}
    _save(request, answers)
    return redirect("adopt:check")


def _rows(answers: dict) -> list[tuple[str, str, str]]:
    agency = Agency.objects.filter(code=answers.get("agency")).first()
    council = Council.objects.filter(pk=answers.get("council") or 0).first()
    makeup = dict(front_door.MAKEUP_CHOICES).get(answers.get("household_makeup", ""), "")
    partner = f"{answers.get('partner_first_name', '')} {answers.get('partner_last_name', '')}".strip()
    rows = [
        ("Name", f"{answers.get('first_name', '')} {answers.get('last_name', '')}", "name"),
        ("Adopting", makeup + (f" ({partner})" if partner else ""), "partner"),
        ("Children living with you", str(answers.get("children_at_home", "")), "children"),
        ("E-mail address", answers.get("email", ""), "contact"),
        ("Telephone", answers.get("phone") or "Not given", "contact"),
        ("Postcode", answers.get("postcode", ""), "postcode"),
        ("Agency", agency.name if agency else "Not chosen", "agency"),
        ("Council area", council.name if council else "Not known", "council"),
        ("What brought you", dict(front_door.SOURCE_CHOICES).get(answers.get("source", ""), ""), "source"),
    ]
    monitoring = answers.get("monitoring", {})
    for step, key in zip(MONITORING_STEPS, front_door.MONITORING):
        answer = front_door.MONITORING_LABELS[key].get(monitoring.get(key, ""), "Not answered")
        rows.append((front_door.MONITORING[key][0], answer, step))
    return rows


@public
@require_http_methods(["GET", "POST"])
def check(request):
    answers = _answers(request)
    if "first_name" not in answers:
        return redirect("adopt:start")
    missing = [s for s in FIXED_STEPS if not _skip(s, answers) and not _answered(s, answers)]
    if request.method == "POST":
        if _limited(request):
            return too_many(request)
        if answers.get("robot") or request.POST.get(forms.HONEYPOT, "").strip():
            request.session.pop(SESSION, None)
            return redirect("adopt:done")  # the robot learns nothing
        agency = Agency.objects.filter(code=answers.get("agency")).first()
        council = Council.objects.filter(pk=answers.get("council") or 0).first()
        if agency is None:  # an answer kept in the session from before the agency was renamed
            missing.insert(0, "agency")
        if council is None and "council" not in missing:
            missing.insert(0, "council")
        if missing:
            return redirect("adopt:question", step=missing[0])
        enquiry = services.receive_enquiry(
            agency,
            council,
            services.EnquiryAnswers(
                first_name=answers["first_name"],
                last_name=answers["last_name"],
                partner_first_name=answers.get("partner_first_name", ""),
                partner_last_name=answers.get("partner_last_name", ""),
                email=answers["email"],
                phone=answers.get("phone", ""),
                postcode=answers["postcode"],
                household_makeup=answers["household_makeup"],
                children_at_home=answers["children_at_home"],
                source=answers["source"],
                monitoring=answers.get("monitoring", {}),
            ),
            lambda token: request.build_absolute_uri(reverse("adopt:set-password", args=[token])),
        )
        accounts.record(
            request,
            "registered interest at the front door",
            household=enquiry.household if enquiry is not None else None,
        )
        request.session.pop(SESSION, None)
        request.session["openraa_front_door_agency"] = agency.name
        return redirect("adopt:done")
    return render(
        request, "families/check.html", {"rows": [] if answers.get("robot") else _rows(answers), "missing": missing}
    )


def _answered(step: str, answers: dict) -> bool:
    needed = {
        "name": "first_name",
        "partner": "household_makeup",
        "children": "children_at_home",
        "contact": "email",
        "postcode": "postcode",
        "agency": "agency",
        "council": "council",
        "source": "source",
    }[step]
    return answers.get(needed) not in (None, "")


@public
def done(request):
    return render(request, "families/done.html", {"agency": request.session.get("openraa_front_door_agency", "")})
