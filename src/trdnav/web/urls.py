from django.urls import path

from trdnav.web import instrument_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("instruments/", instrument_pages.instrument_list, name="instrument_list"),
    path("instruments/<slug:code>/", instrument_pages.instrument_detail, name="instrument_detail"),
]
