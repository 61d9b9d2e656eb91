from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    name = "trdnav.clinical"
    label = "clinical"
