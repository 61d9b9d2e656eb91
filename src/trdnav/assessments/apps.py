from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "trdnav.assessments"
    label = "assessments"
