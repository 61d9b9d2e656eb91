"""Top-level URL map: each feature app owns its own URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("trdnav.web.urls")),
]
