"""The holder's follow-up survey, reached without an account through its personal link.

Who holds the link is who may answer: an unknown survey and a wrong secret get the same
404 page, and a client that tries many wrong links is stopped (``vae.throttle``). The
link is a secret in the address: the pages are neither cached, nor indexed, nor sent as
a referrer to another site. Nothing of the holder is shown but their first name. GET never changes
anything: the refusal link of the e-mail leads to a page with one button.
"""

import functools

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
    # Never sent to another site; not « no-referrer »: with it, Chromium posts the form
    # with « Origin: null », which Django's CSRF check refuses (403).
    response["Referrer-Policy"] = "same-origin"
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


def _closed(request, survey):
    return _page(request, survey, "cohorts/survey/closed.html")


def _open(request, survey, secret):
    """The survey of the link if it takes answers now; else the response to give."""
    survey, response = _found(request, survey, secret)
    if response is None and not services.is_open_to_answers(survey):
        response = _closed(request, survey)
    return survey, response


def _written(request, survey, write, then: str):
    """``write(survey)`` then a redirect to ``then``; the closed page instead when the
    survey closed while the holder was on the page."""
    try:
        write(survey)
    except TransitionRefused:
        return _closed(request, survey)
    return redirect(then)


def _survey_view(view):
    """``view(request, survey)`` for a link's survey open to answers: the other links
    get their 404, 429 or closed page here, and no response is cached."""

    @never_cache
    @require_http_methods(["GET", "HEAD", "POST"])
    @functools.wraps(view)
    def wrapped(request, survey, secret):
        survey, response = _open(request, survey, secret)
        return response if response is not None else view(request, survey)

    return wrapped


@_survey_view
def survey_page(request, survey):
    if request.method == "POST":
        form = SurveyForm(request.POST)
    else:
        form = SurveyForm(initial=SurveyForm.initial_of(survey))
    if form.is_bound and form.is_valid():
        return _written(
            request,
            survey,
            lambda survey: services.save_answers(survey, form.cleaned_data),
            f"{links.survey_path(survey)}?enregistre=1",
        )
    return _page(
        request,
        survey,
        "cohorts/survey/form.html",
        form=form,
        saved="enregistre" in request.GET and survey.answered_at is not None,
        activities=targeted_job_activities(survey.candidacy),
    )


@_survey_view
def refuse(request, survey):
    """GET: the confirmation page (the e-mail's link); POST: the refusal."""
    if request.method != "POST":
        return _page(request, survey, "cohorts/survey/refuse.html")
    return _written(request, survey, services.refuse, links.survey_path(survey))
