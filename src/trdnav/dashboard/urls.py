from django.urls import path

from trdnav.dashboard import views

app_name = "dashboard"

urlpatterns = [path("", views.home, name="home")]
