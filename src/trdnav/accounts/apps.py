from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trdnav.accounts"
    label = "accounts"

    def ready(self) -> None:
        from trdnav.accounts import signals  # noqa: F401  (connects the audit receivers)
