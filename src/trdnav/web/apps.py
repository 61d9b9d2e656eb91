from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "trdnav.web"
    label = "web"

    def ready(self) -> None:
        from trdnav.web import logsafe

        logsafe.install()
