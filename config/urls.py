from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from vae.personal_data.views import privacy_notice

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("confidentialite/", privacy_notice, name="privacy_notice"),
    path("compte/mes-donnees/", include("vae.personal_data.urls")),
    path("compte/", include("vae.accounts.urls")),
    # The search pages sit inside their spaces (/evaluation/recherche/, …): before them.
    path("", include("search.urls")),
    path("candidature/", include("portal.candidate_urls")),
    path("candidature/", include("livret.urls")),
    path("evaluation/", include("review.urls")),
    path("jury/", include("jury.urls")),
    path("documents/", include("vae.documents.urls")),
    path("verifier/", include("certificates.urls")),
    # The holders' follow-up survey, by its personal link (no account).
    path("enquete/", include("cohorts.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail's page serving comes last: it catches every other path.
urlpatterns += [path("", include(wagtail_urls))]
