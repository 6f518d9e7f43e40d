from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:number>/", views.verify, name="verify"),
]
