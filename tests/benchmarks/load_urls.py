"""The site's URLs plus ``/bench/bare/``: a Django view that does nothing, the anchor of
the load benchmark (the cost of the stack itself: gunicorn, middleware, routing)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
