from django.urls import include, path

from review import views

app_name = "review"
urlpatterns = [
    path("affectations/<int:pk>/declaration/", views.declare, name="declare"),
    # The evaluator's workspace and dossier page, and the ratings and consolidation pages,
    # each in their own module of this "review" namespace.
    path("", include("review.workspace_urls")),
    path("", include("review.rating_urls")),
]
