from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trdnav.accounts"
    label = "accounts"

    def ready(self) -> None:
        from trdnav.accounts import signals  # (connects the audit receivers)

        signals.connect_webauthn_audit()
