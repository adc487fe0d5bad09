"""The file workspace: an assessment kept as files in git, with a tamper-evident history."""
