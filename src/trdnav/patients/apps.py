from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "trdnav.patients"
    label = "patients"
