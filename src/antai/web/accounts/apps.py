from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "antai.web.accounts"
    label = "antai_accounts"
    verbose_name = "Accounts"
