"""The evidence pages, under /o/<slug>/ (see antai.web.urls)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
