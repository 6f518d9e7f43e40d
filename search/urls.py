"""The search pages of the site's spaces (``search`` namespace), mounted at the root by
config.urls so that each sits inside its space: /evaluation/recherche/, /jury/recherche/,
/candidature/<candidacy_pk>/livret-2/recherche/ (and its suggestions/, the fragment the
candidate's link form fetches). The certifier's is in the back office
(search.wagtail_hooks)."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("evaluation/recherche/", views.evaluator_search, name="evaluator"),
    path("jury/recherche/", views.jury_search, name="jury"),
    path(
        "candidature/<id:candidacy_pk>/livret-2/recherche/",
        views.candidate_search,
        name="candidate",
    ),
    path(
        "candidature/<id:candidacy_pk>/livret-2/recherche/suggestions/",
        views.link_suggestions,
        name="link_suggestions",
    ),
]
