from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "trdnav.portal"
    label = "portal"
    verbose_name = "Patient portal"
