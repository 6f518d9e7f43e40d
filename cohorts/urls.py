from django.urls import path

from cohorts import views

app_name = "cohorts"

# Plain strings, checked by the view: a malformed link answers as an unknown one (same 404,
# counted by the throttle), and no argument is an id of ours (the public id is a UUID).
urlpatterns = [
    path("<str:survey>/<str:secret>/", views.survey_page, name="survey"),
    path("<str:survey>/<str:secret>/refuser/", views.refuse, name="refuse"),
]
