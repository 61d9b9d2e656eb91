from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from trdnav.web import clinic_settings, instrument_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico even when a page names its icon.
    path("favicon.ico", RedirectView.as_view(url=static("trdnav/favicon.svg"), permanent=True)),
    # The clinic admin's one entry to the clinic's settings; each section has its own page.
    path("clinic/settings/", clinic_settings.clinic_settings_hub, name="clinic_settings"),
    path("instruments/", instrument_pages.instrument_list, name="instrument_list"),
    path("instruments/<slug:code>/", instrument_pages.instrument_detail, name="instrument_detail"),
]
