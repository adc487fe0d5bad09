from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "antai.web.site"
    label = "antai_site"
    verbose_name = "Pages"
