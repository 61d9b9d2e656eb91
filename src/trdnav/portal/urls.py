from django.urls import path

from trdnav.courses import portal_views
from trdnav.portal.views import care, clinic, invite, patient, reports, visit

app_name = "portal"

urlpatterns = [
    path("", patient.home, name="home"),
    path("invitation/<str:token>/", invite.accept, name="accept"),
    path("questionnaires/<int:pk>/", patient.questionnaire, name="questionnaire"),
    path("help-now/", patient.crisis, name="crisis"),
    path("progress/", patient.progress, name="progress"),
    path("treatments/", patient.treatments, name="treatments"),
    path("treatments/<slug:therapy_id>/", patient.treatment, name="treatment"),
    path("courses/", portal_views.my_courses, name="courses"),
    path("reports/", reports.concerns, name="concerns"),
    path("messages/", reports.threads, name="threads"),
    path("messages/<int:pk>/", reports.thread, name="thread"),
    path("visit/", visit.prepare, name="visit"),
    path("visit/questions/<int:pk>/done/", visit.question_done, name="question_done"),
    path("visit/summary/", visit.summary, name="summary"),
    path("care/", care.inbox, name="care_inbox"),
    path("care/crisis-help/", clinic.crisis_help, name="clinic_crisis_help"),
    path("care/patients/<int:pk>/", care.panel, name="care_panel"),
    path("care/patients/<int:pk>/invite/", care.invite, name="care_invite"),
    path("care/patients/<int:pk>/schedules/", care.add_schedule, name="care_schedule"),
    path("care/patients/<int:pk>/messages/", care.new_thread, name="care_new_thread"),
    path("care/schedules/<int:pk>/stop/", care.end_schedule, name="care_stop_schedule"),
    path("care/messages/<int:pk>/", care.thread, name="care_thread"),
    path("care/reports/<int:pk>/acknowledge/", care.acknowledge_report, name="care_ack_report"),
    path("care/safety/<int:pk>/acknowledge/", care.acknowledge_safety, name="care_ack_safety"),
]
