from django.urls import path

from trdnav.safety import views

app_name = "safety"

urlpatterns = [
    path("patients/<int:pk>/<str:kind>/<int:reference>/review/", views.review, name="review"),
    path("patients/<int:pk>/reviews/<int:review_id>/reopen/", views.reopen, name="reopen"),
    path("settings/", views.clinic_settings, name="settings"),
]
