"""The site's URLs plus two anchors of the load benchmark: ``/bench/bare/``, a Django view
that does nothing (the cost of the stack itself: gunicorn, middleware, routing), and
``/bench/bare-user/``, the same view asking who is logged in (the session and user reads
that any page of a logged-in user pays before its own work)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def bare_user(request):
    return HttpResponse(
        "ok" if request.user.is_authenticated else "anonymous", content_type="text/plain"
    )


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-user/", bare_user),
    path("", include("config.urls")),
]
