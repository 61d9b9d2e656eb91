from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "trdnav.safety"
    label = "safety"
