"""The application layer: antai's use cases, written once against a small storage interface.

``antai.app.usecases`` holds the changes a team makes (init, set, accept, evidence, organisation facts,
profile change, upgrade, record); ``antai.app.ports`` the interface a store implements; and
``antai.app.memory`` an in-memory store. The file workspace (``antai.workspace``) and, later, the web app
are adapters over it.
"""
