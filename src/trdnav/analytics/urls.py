from django.urls import path

from trdnav.analytics import views

app_name = "analytics"

urlpatterns = [path("", views.outcomes, name="outcomes")]
