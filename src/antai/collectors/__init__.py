"""Collectors: antai's own checks against real systems, each producing findings (see antai.assessment.findings)."""
