"""antai's own AWS account checks (``antai check aws``).

:func:`~antai.collectors.aws.collect.collect` fetches each service's data once into an
:class:`~antai.collectors.aws.inventory.Inventory` (services and per-resource calls in parallel, adaptive
retries) and evaluates every check in :mod:`antai.collectors.aws.checks` from it. boto3 is imported only
when a run starts, never when this package is imported.
"""
