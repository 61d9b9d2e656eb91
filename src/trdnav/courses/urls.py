"""Included under ``courses/``: the clinic's course pages. The patient's course calendar is in
the portal's URLs (``portal:courses``)."""

from django.urls import path

from trdnav.courses import amend_views, rems_views, session_views, views

app_name = "courses"

urlpatterns = [
    path("plan/<int:pk>/<slug:therapy_id>/", views.plan, name="plan"),
    path("<int:course_id>/", views.detail, name="detail"),
    path("<int:course_id>/summary/", views.summary, name="summary"),
    path("<int:course_id>/end/", views.end, name="end"),
    path("<int:course_id>/sessions/<int:number>/", session_views.session_page, name="session"),
    path("<int:course_id>/sessions/<int:number>/sign/", session_views.sign, name="sign"),
    path("<int:course_id>/sessions/<int:number>/amend/", amend_views.amend, name="amend"),
    path("rems/", rems_views.rems_list, name="rems"),
    path("rems/<int:session_id>/", rems_views.rems_submit, name="rems_submit"),
]
