"""The team web app (`antai serve`): a Django adapter over the same use cases as the CLI.

Nothing here is imported by the core; Django is imported only when `antai serve` (or a test of the web app)
runs. The apps: ``store`` keeps each organisation's assessment and hash-chained history in the database (it
implements :class:`antai.app.ports.AssessmentStore`), ``orgs`` the organisations, roles and invitations,
``accounts`` what django-allauth does not (MFA required for owners and editors), ``site`` the pages.
"""
