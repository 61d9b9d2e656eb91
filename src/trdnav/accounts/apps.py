from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trdnav.accounts"
    label = "accounts"
