from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "trdnav.dashboard"
    label = "dashboard"
