from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "antai.web.guide"
    label = "antai_guide"
