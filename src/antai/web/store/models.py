"""Each organisation's assessment in the database: its parts, its hash-chained history and its evidence files.

The rows are written only by :class:`antai.web.store.orm.OrmStore`, one transaction per change. A row edited by
other means (SQL, the admin) is what the file workspace calls an edit outside antai: the store sees that the
digest of a part no longer matches the last history entry and asks for the edit to be recorded.
"""

from __future__ import annotations

from django.db import models

from antai.assessment.state import Part as PartName


class Part(models.Model):
    """One part of an organisation's assessment (answers, decisions, …) as plain JSON."""

    organisation = models.ForeignKey("antai_orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    part = models.CharField(max_length=20, choices=[(p.value, p.value) for p in PartName])
    data = models.JSONField()
    # sha256 of the data as the store last wrote it (the value its history entry records)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "part"], name="antai_store_one_part")]

    def __str__(self) -> str:
        return f"{self.part} of organisation {self.organisation_id}"


class Entry(models.Model):
    """One history entry, exactly as antai.assessment.history.new_entry made it."""

    organisation = models.ForeignKey("antai_orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    # the entry's position in the history, from 1; the same as the entry's own "seq" for every entry this store
    # appends (a history imported from a git workspace with unjoined branches can hold two entries of one seq)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="antai_store_one_entry_per_seq"),
            models.UniqueConstraint(fields=["organisation", "hash"], name="antai_store_one_entry_per_hash"),
        ]
        ordering = ["organisation", "seq"]

    def __str__(self) -> str:
        return f"entry {self.seq} of organisation {self.organisation_id}"


class StoredBlob(models.Model):
    """An evidence file, encrypted (see antai.web.store.crypto): the plaintext never reaches the database."""

    organisation = models.ForeignKey("antai_orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=300)  # evidence/files/E0001-name.pdf
    sha256 = models.CharField(max_length=64)  # of the plaintext
    size = models.PositiveBigIntegerField()  # of the plaintext
    nonce = models.BinaryField()
    wrapped_key = models.BinaryField()
    ciphertext = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="antai_store_one_blob_per_key")]

    def __str__(self) -> str:
        return f"{self.key} of organisation {self.organisation_id}"
