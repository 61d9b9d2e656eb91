from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trdnav.audit"
    label = "audit"
