"""Organisations (one assessment each), the people in them and their roles, and invitations."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"
    REVIEWER = "reviewer", "Bank reviewer"


# roles whose accounts must have MFA before they may do anything (they can change the assessment)
MFA_ROLES = frozenset({Role.OWNER, Role.EDITOR})
EDIT_ROLES = frozenset({Role.OWNER, Role.EDITOR})


class Organisation(models.Model):
    """A venture: one assessment (kept by the store app) and its members."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    # a bank reviewer belongs to the bank named here and sees what the venture shares with that bank
    bank = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.organisation}"


INVITATION_DAYS = 7


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed link to join an organisation in a role. Only the token's SHA-256 is stored, so a copy of
    the database cannot be used to join; the link expires after INVITATION_DAYS and works once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Role.choices)
    bank = models.CharField(max_length=200, blank=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(
        cls, organisation: Organisation, email: str, role: str, invited_by: object, bank: str = ""
    ) -> tuple[Invitation, str]:
        """A new invitation and its token (shown once, in the link; never stored)."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(
            organisation=organisation,
            email=email.lower(),
            role=role,
            bank=bank,
            token_sha256=_token_digest(token),
            invited_by=invited_by,
            created=now,
            expires=now + dt.timedelta(days=INVITATION_DAYS),
        )
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        """The open, unexpired invitation of ``token``, or None."""
        return cls.objects.filter(
            token_sha256=_token_digest(token), accepted__isnull=True, expires__gt=timezone.now()
        ).first()
