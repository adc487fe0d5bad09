from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "antai.web.evidence"
    label = "antai_evidence"
