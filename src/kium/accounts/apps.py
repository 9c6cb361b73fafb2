from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kium.accounts"
    label = "accounts"
    verbose_name = "계정"
