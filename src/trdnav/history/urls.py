"""Included under ``patients/<int:pk>/history/``: the history page and its editor."""

from django.urls import path

from trdnav.history import views

app_name = "history"

urlpatterns = [
    path("", views.history_page, name="page"),
    path("episodes/new/", views.episode_edit, name="episode-new"),
    path("episodes/<int:index>/", views.episode_edit, name="episode-edit"),
    path(
        "episodes/<int:index>/remove/",
        views.remove,
        {"section": "episodes"},
        name="episode-remove",
    ),
    path("treatments/new/", views.treatment_choose, name="treatment-choose"),
    path("treatments/new/<str:kind>/", views.treatment_edit, name="treatment-new"),
    path("treatments/<int:index>/", views.treatment_edit, name="treatment-edit"),
    path(
        "treatments/<int:index>/remove/",
        views.remove,
        {"section": "treatments"},
        name="treatment-remove",
    ),
    path("import/", views.history_import, name="import"),
]
