"""Importers: scanners' outputs (Prowler, Checkov, Trivy, SARIF) read as findings on antai's items."""
