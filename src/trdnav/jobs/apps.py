from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "trdnav.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
