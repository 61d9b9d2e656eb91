from django.urls import path

from trdnav.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "courses/<int:course_id>/checkpoints/<str:rule>/acknowledge/",
        views.acknowledge_checkpoint,
        name="acknowledge_checkpoint",
    ),
]
