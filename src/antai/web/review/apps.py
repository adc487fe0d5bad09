from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "antai.web.review"
    label = "antai_review"
