"""The public treatment guide and self-check: no log-in, nothing stored (docs/public-guide.md).

``/guide/`` is the site's own version; ``/guide/<clinic-slug>/`` carries that clinic's name and
crisis guidance. The fixed words ``self-check`` and ``treatments`` come first, so a clinic
cannot take them as its slug on these pages.
"""

from django.urls import path

from trdnav.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("self-check/", views.self_check, name="self_check"),
    path("treatments/<slug:therapy_id>/", views.treatment, name="treatment"),
    path("<slug:clinic>/", views.index, name="clinic_index"),
    path("<slug:clinic>/self-check/", views.self_check, name="clinic_self_check"),
    path("<slug:clinic>/treatments/<slug:therapy_id>/", views.treatment, name="clinic_treatment"),
]
