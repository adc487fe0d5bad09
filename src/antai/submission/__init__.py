"""Signed submissions: the manifest a bank receives (``antai.submission/1``), Ed25519 keys, sealing a
bundle folder and verifying one on the bank's side.

Pure of any adapter: no CLI, no wording. Verification returns problems as codes with the path and values
they concern; the CLI words them in Japanese or English.
"""
