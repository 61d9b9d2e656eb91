from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "trdnav.analytics"
    label = "analytics"
