from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "trdnav.guide"
    label = "guide"
    verbose_name = "Public treatment guide"
