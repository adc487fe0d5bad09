from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "antai.web.store"
    label = "antai_store"
    verbose_name = "Assessment store"
