"""Importers: scanners' outputs (Prowler, Checkov, Trivy, SARIF) read as findings on antai's items.

Each importer (``read_prowler``, ``read_checkov``, ``read_trivy``, ``read_sarif``) streams one file and
returns an :class:`~antai.importers.common.ImportedRun`: the scanner and its version, what was scanned,
when (the file's own time, else its modification time), the file's SHA-256 and the tally of every
finding; a finding whose rule the mapping table does not know counts as unmapped, never dropped. A file
that is not what it should be raises :class:`~antai.catalog.yamlsource.SourceError` naming
``file:line:column`` (codes ``import.<reason>``). No importer holds more than one value of at most
16 MiB at a time, however big the file.
"""
