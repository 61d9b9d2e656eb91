from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "trdnav.web"
    label = "web"
