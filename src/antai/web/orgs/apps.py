from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "antai.web.orgs"
    label = "antai_orgs"
    verbose_name = "Organisations"
