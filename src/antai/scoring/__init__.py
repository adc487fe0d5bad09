"""Scoring: coverage, risk-weighted scores and ranked gaps."""
