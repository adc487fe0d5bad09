"""The guideline catalog: schema, loader and reference lists.

Public API::

    from antai.catalog import load_catalog
    catalog = load_catalog()            # built-in guideline
    catalog.item("IAM-01").title.ja
"""

from antai.catalog.loader import load_catalog, validate_folder
from antai.catalog.model import Catalog
from antai.catalog.schema import Item, Lang, Text
from antai.catalog.yamlsource import Problem, SourceError

__all__ = ["Catalog", "Item", "Lang", "Problem", "SourceError", "Text", "load_catalog", "validate_folder"]
