"""The holder's follow-up survey, reached without an account through its personal link.

Who holds the link is who may answer: an unknown survey and a wrong secret get the same
404 page, and a client that tries many wrong links is stopped (``vae.throttle``). The
link is a secret in the address: the pages are neither cached, nor indexed, nor sent as
a referrer. Nothing of the holder is shown but their first name. GET never changes
anything: the refusal link of the e-mail leads to a page with one button.
"""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cohorts import links, services
from cohorts.forms import SurveyForm
from cohorts.models import FollowUpSurvey
from referentiel import french as fr
from referentiel.models import Activity
from vae import throttle
from vae.accounts.throttling import client_ip
from vae.workflow import TransitionRefused

# Wrong links counted per client address over an hour: a holder mistyping a copied link
# retries a few times; someone trying links is stopped long before finding one.
MISSES_PER_IP = 20
MISSES_WINDOW = 3600


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _found(request, survey: str, secret: str):
    """The survey of the link, or the response to give instead (404 or 429)."""
    misses = throttle.key("survey-misses", client_ip(request) or "")
    if throttle.spent(misses, MISSES_PER_IP):
        response = render(request, "cohorts/survey/throttled.html", status=429)
        response["Retry-After"] = str(MISSES_WINDOW)
        return None, _private(response)
    public_id = links.parse_public_id(survey)
    # The secret first: an unknown survey and a wrong secret cost the same, say the same.
    if public_id is not None and links.matches(public_id, secret):
        found = (
            FollowUpSurvey.objects.select_related("wave", "candidacy__candidate")
            .filter(public_id=public_id)
            .first()
        )
        if found is not None:
            return found, None
    throttle.hit(misses, MISSES_PER_IP, MISSES_WINDOW)
    return None, _private(render(request, "404.html", status=404))


def targeted_job_activities(candidacy) -> list:
    """The activités of the candidacy's référentiel version: what the targeted job is."""
    return list(
        Activity.objects.filter(bloc__certification_id=candidacy.certification_id)
        .select_related("bloc")
        .order_by("bloc__sort_order", "bloc__code", "sort_order", "code")
    )


def _page(request, survey, template, **context):
    context = {
        "survey": survey,
        "first_name": survey.candidacy.candidate.first_name,
        "months": fr.plural(survey.wave.months_after_decision, "mois", "mois"),
        "survey_path": links.survey_path(survey),
        "refusal_path": links.refusal_path(survey),
        **context,
    }
    return _private(render(request, template, context))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey_page(request, survey, secret):
    survey, refused = _found(request, survey, secret)
    if refused:
        return refused
    if not services.is_open_to_answers(survey):
        return _page(request, survey, "cohorts/survey/closed.html")
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                services.save_answers(survey, form.cleaned_data)
            except TransitionRefused:  # closed while the holder was typing
                return _page(request, survey, "cohorts/survey/closed.html")
            return redirect(f"{links.survey_path(survey)}?enregistre=1")
    else:
        form = SurveyForm(initial=SurveyForm.initial_of(survey))
    return _page(
        request,
        survey,
        "cohorts/survey/form.html",
        form=form,
        saved="enregistre" in request.GET and survey.answered_at is not None,
        activities=targeted_job_activities(survey.candidacy),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def refuse(request, survey, secret):
    survey, refused = _found(request, survey, secret)
    if refused:
        return refused
    if not services.is_open_to_answers(survey):
        return _page(request, survey, "cohorts/survey/closed.html")
    if request.method == "POST":
        try:
            services.refuse(survey)
        except TransitionRefused:
            return _page(request, survey, "cohorts/survey/closed.html")
        return redirect(links.survey_path(survey))
    return _page(request, survey, "cohorts/survey/refuse.html")
