"""The evaluator's grid and the consolidation (joined to the ``review`` namespace)."""

from django.urls import path

from review import rating_views

urlpatterns = [
    path("affectations/<int:pk>/grille/", rating_views.grid, name="grid"),
    path("affectations/<int:pk>/grille/remettre/", rating_views.grid_submit, name="grid_submit"),
    path(
        "affectations/<int:pk>/consolidation/",
        rating_views.consolidation,
        name="consolidation",
    ),
]
