"""antai: an executable, risk-based security guideline for FinTech ventures.

The package is a pure core (catalog → tailoring → assessment → scoring → reports) with thin adapters
(the CLI). Importing it does no I/O: the catalog is loaded on demand with :func:`antai.catalog.load_catalog`.
"""

__version__ = "0.1.0"
