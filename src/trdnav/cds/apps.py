from django.apps import AppConfig


class CdsConfig(AppConfig):
    name = "trdnav.cds"
    label = "cds"
    verbose_name = "CDS Hooks service"

    def ready(self) -> None:
        # A bad issuer configuration stops start-up, naming the setting (docs/configuration.md).
        from trdnav.cds.issuers import configured_issuers

        configured_issuers()
