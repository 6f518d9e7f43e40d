from django.urls import include, path
from wagtail import hooks

from vae import admin_urls


@hooks.register("register_admin_urls")
def register_candidacy_urls():
    return [path("candidatures/", include(admin_urls))]
