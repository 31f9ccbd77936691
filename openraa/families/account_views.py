"""The adopter's own account under /adopt/account/: sign-in with two factors, their journey and
what happens next by when, their worker, the registration of interest, preparation groups, the
documents asked of them, messages with their worker, and (once approved) the profiles they may
look at, their interests and how each ended. Every page reads only the signed-in family's own
household; every action is in the adopters' audit."""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from openraa.common.models import today
from openraa.families import accounts, forms, front_door, selectors, services
from openraa.families.accounts import adopter_required
from openraa.families.models import DocumentRequest, PreparationGroup
from openraa.families.public_views import too_many
from openraa.journeys.models import targets_for
from openraa.matching.models import Interest
from openraa.matching.services import settings_for
from openraa.people.middleware import public
from openraa.web.forms import add_errors

SIGN_IN_RATE = "30/h"
PROFILES_PER_PAGE = 20


def _limited(request) -> bool:
    return is_ratelimited(request, group="adopter-sign-in", key="ip", rate=SIGN_IN_RATE, method="POST", increment=True)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/adopt/account/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("adopt:home")


@public
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST":
        if _limited(request):
            return too_many(request)
        if form.is_valid():
            result = accounts.check_first_factor(form.cleaned_data["email"], form.cleaned_data["password"])
            if result.account is None:
                accounts.record(request, "failed sign-in")
                form.add_error(None, result.problem)
            else:
                accounts.begin(request, result.account)
                if not result.account.totp_confirmed:
                    accounts.send_code(result.account)
                return redirect(f"{reverse('adopt:code')}?next={_next(request)}")
    return render(request, "families/sign_in.html", {"form": form, "next": _next(request)})


@public
@require_http_methods(["GET", "POST"])
def code(request):
    account = accounts.pending(request)
    if account is None:
        return redirect("adopt:sign-in")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST":
        if _limited(request):
            return too_many(request)
        if request.POST.get("resend") and not account.totp_confirmed:
            accounts.send_code(account)
            messages.success(request, "We have sent you a new code")
            return redirect(f"{reverse('adopt:code')}?next={_next(request)}")
        if form.is_valid():
            if accounts.check_second_factor(account, form.cleaned_data["code"]):
                accounts.complete(request, account)
                return redirect(_next(request))
            accounts.record(request, "wrong sign-in code", account=account)
            form.add_error("code", "The code is not right, or has expired. Check it, or ask for a new one")
    return render(
        request, "families/code.html", {"form": form, "authenticator": account.totp_confirmed, "next": _next(request)}
    )


@public
@require_POST
def sign_out(request):
    accounts.sign_out(request)
    return redirect("adopt:sign-in")


@public
@require_http_methods(["GET", "POST"])
def set_password(request, token: str):
    account = accounts.account_for_token(token)
    if account is None:
        return render(request, "families/link_expired.html", status=404)
    form = forms.ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.set_password(account, form.cleaned_data["password"])
        accounts.record(request, "chose a password", account=account)
        messages.success(request, "Your password is set: sign in with it and the code we e-mail you")
        return redirect("adopt:sign-in")
    return render(request, "families/set_password.html", {"form": form})


@adopter_required
def home(request):
    account = request.adopter
    household = account.household
    targets = targets_for(household.agency)
    step = front_door.next_step(
        household.stage,
        enquiry_on=household.enquiry_on,
        registration_on=household.registration_of_interest_on,
        stage1_started_on=household.stage1_started_on,
        stage2_started_on=household.stage2_started_on,
        stage1_months=targets.stage1_months,
        stage2_months=targets.stage2_months,
    )
    accounts.record(request, "viewed their journey", account=account)
    registration = household.registrations.order_by("-submitted_on", "-id").first()
    return render(
        request,
        "families/home.html",
        {
            "household": household,
            "next_step": step,
            "workers": [w.get_full_name() or w.username for w in household.allocated_workers.all()],
            "registration": registration,
            "registration_due": front_door.registration_due(registration.submitted_on) if registration else None,
            "may_register": household.stage == "enquiry" and not (registration and not registration.decision),
            "places": household.preparation_places.filter(cancelled_at__isnull=True).select_related("group"),
            "requests": household.document_requests.prefetch_related("uploads"),
            "unanswered": household.family_messages.filter(from_staff__isnull=False).count(),
            "may_browse": selectors.family_may_browse(household),
        },
    )


@adopter_required
@require_http_methods(["GET", "POST"])
def registration(request):
    account = request.adopter
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_registration(
                account, form.cleaned_data["information_session_on"], form.cleaned_data["why_adopt"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            accounts.record(request, "sent their registration of interest", account=account)
            messages.success(request, "We have your registration of interest: we will decide within 5 working days")
            return redirect("adopt:home")
    return render(request, "families/registration.html", {"form": form})


@adopter_required
@require_http_methods(["GET", "POST"])
def preparation_groups(request):
    account = request.adopter
    household = account.household
    if request.method == "POST":
        group = PreparationGroup.objects.filter(
            agency_id=household.agency_id, pk=_number(request.POST.get("group"))
        ).first()
        if group is None:
            raise Http404
        try:
            if request.POST.get("cancel"):
                place = group.places.filter(household=household, cancelled_at__isnull=True).first()
                if place is None:
                    raise Http404
                services.cancel_place(place)
                accounts.record(request, f"cancelled their place on {group}", account=account)
                messages.success(request, f"Your place on {group} is cancelled")
            else:
                services.book_place(group, household)
                accounts.record(request, f"booked a place on {group}", account=account)
                messages.success(request, f"You have a place on {group}")
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        return redirect("adopt:preparation-groups")
    groups = PreparationGroup.objects.filter(agency_id=household.agency_id, starts_on__gte=today()).prefetch_related(
        "places"
    )
    rows = []
    for group in groups:
        taken = [p for p in group.places.all() if p.cancelled_at is None]
        rows.append(
            {
                "group": group,
                "free": max(group.capacity - len(taken), 0),
                "booked": any(p.household_id == household.pk for p in taken),
            }
        )
    accounts.record(request, "viewed preparation groups", account=account)
    return render(request, "families/preparation_groups.html", {"rows": rows})


def _number(value) -> int:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else 0


@adopter_required
def documents(request):
    account = request.adopter
    accounts.record(request, "viewed documents asked of them", account=account)
    return render(
        request,
        "families/documents.html",
        {"requests": account.household.document_requests.prefetch_related("uploads")},
    )


@adopter_required
@require_http_methods(["GET", "POST"])
def upload(request, pk: int):
    account = request.adopter
    document_request = DocumentRequest.objects.filter(pk=pk, household_id=account.household_id).first()
    if document_request is None:
        raise Http404
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_for_request(document_request, form.cleaned_data["file"], account)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            accounts.record(request, f"uploaded a file for {document_request.title}", account=account)
            messages.success(request, f"Your file for {document_request.title} is uploaded")
            return redirect("adopt:documents")
    return render(request, "families/upload.html", {"form": form, "document_request": document_request})


@adopter_required
@require_http_methods(["GET", "POST"])
def messages_page(request):
    account = request.adopter
    household = account.household
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(household, form.cleaned_data["text"], account=account)
        except ValidationError as error:
            add_errors(form, error)
        else:
            accounts.record(request, "sent a message", account=account)
            messages.success(request, "Your message is sent")
            return redirect("adopt:messages")
    accounts.record(request, "read their messages", account=account)
    thread = household.family_messages.select_related("from_staff")
    return render(request, "families/messages.html", {"form": form, "thread": thread})


@adopter_required
@require_http_methods(["GET", "POST"])
def authenticator(request):
    account = request.adopter
    key = request.session.get("openraa_adopter_new_totp") or accounts.new_totp_key()
    request.session["openraa_adopter_new_totp"] = key
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = accounts.totp_matches(account, form.cleaned_data["code"].strip(), key=key)
        if step is None:
            form.add_error("code", "The code is not right: check the time on your phone and try the next code")
        else:
            accounts.use_authenticator(account, key, step)
            request.session.pop("openraa_adopter_new_totp", None)
            accounts.record(request, "set up an authenticator app", account=account)
            messages.success(request, "Your authenticator app is set up: use its codes to sign in")
            return redirect("adopt:home")
    secret = base64.b32encode(bytes.fromhex(key)).decode("ascii")
    url = f"otpauth://totp/OpenRAA:{account.email}?secret={secret}&issuer=OpenRAA&digits=6&period=30"
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")
    return render(
        request,
        "families/authenticator.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_code": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
            "already": account.totp_confirmed,
        },
    )


@adopter_required
def profiles(request):
    account = request.adopter
    views = selectors.published_for(account, today())
    show_all = request.GET.get("show") == "all"
    shown = views if show_all else [v for v in views if v.within_approval]
    page = Paginator(shown, PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    accounts.record_many(
        request, account, [(f"looked at profile {v.profile.code} in the list", v.profile.child) for v in page]
    )
    return render(
        request,
        "families/profiles.html",
        {
            "views": page,
            "page": page,
            "outside": sum(1 for v in views if not v.within_approval),
            "show_all": show_all,
            "may_browse": selectors.family_may_browse(account.household),
            "rules": _family_rules(account.household),
            "cap": settings_for(account.household.agency).max_open_interests,
        },
    )


def _family_rules(household) -> list[str]:
    rules = []
    if household.approved_children:
        n = household.approved_children
        rules.append(
            f"You are approved for {'1 child' if n == 1 else f'up to {n} children'} aged {household.age_min} to {household.age_max}"
        )
        if n > 1:
            rules.append(
                "You are open to brothers and sisters placed together"
                if household.sibling_group_open
                else "You are not approved for brothers and sisters placed together"
            )
    rules.append("Children whose needs are beyond those your approval says you can meet are outside your approval")
    rules.append(
        "You are not shown a child when where you live rules you out (for the child's safety we do not say why)"
    )
    return rules


@adopter_required
@require_http_methods(["GET", "POST"])
def profile(request, code: str):
    account = request.adopter
    view = selectors.profile_for(account, code, today())
    if view is None:
        raise Http404
    form = forms.InterestForm(request.POST or None)
    if request.method == "POST":
        if not view.within_approval:
            form.add_error(None, "This child is outside your approval: talk to your worker")
        elif form.is_valid():
            try:
                services.express_interest(account, view.members, form.cleaned_data["note"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                accounts.record(
                    request, f"expressed interest in profile {code}", account=account, child=view.profile.child
                )
                messages.success(request, "Your interest is sent to the child's family finder")
                return redirect("adopt:interests")
    accounts.record(request, f"read profile {code}", account=account, child=view.profile.child)
    return render(request, "families/profile.html", {"view": view, "form": form})


@adopter_required
def interests(request):
    account = request.adopter
    accounts.record(request, "viewed their interests", account=account)
    return render(
        request,
        "families/interests.html",
        {"rows": selectors.interests_of(account), "open_status": Interest.Status.OPEN},
    )


@adopter_required
@require_http_methods(["GET", "POST"])
def withdraw_interest(request, pk: int):
    """The family closes its own open interest, with its reason, which the workers read."""
    account = request.adopter
    interest = Interest.objects.filter(pk=pk, household_id=account.household_id, status=Interest.Status.OPEN).first()
    if interest is None:
        raise Http404
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_interest(interest, form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            accounts.record(request, "withdrew an interest", account=account, child=interest.child)
            messages.success(request, "Your interest is withdrawn: the workers are told")
            return redirect("adopt:interests")
    return render(request, "families/withdraw.html", {"form": form})
