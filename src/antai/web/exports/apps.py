from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "antai.web.exports"
    label = "antai_exports"
