"""People and organisations for page tests, made straight in the database (sign-up, mail and TOTP enrolment
are tested once, in test_pages.py and the browser test; every other test starts from here, fast).

``team()`` gives an organisation created through the use cases (like the home page does) with a signed-in
test client per role: owner and editor have a TOTP authenticator (the MFA middleware lets them in), viewer
and bank reviewer have none (they are not made to enrol), and ``outsider`` belongs to another organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROLES = ("owner", "editor", "viewer", "reviewer")
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def person(email: str, *, mfa: bool) -> Any:
    """A user with a verified address (no password: tests sign in with ``force_login``)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=email, email=email, password=None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def organisation(name: str, owner: Any, example: str = "household-budget", *, slug: str | None = None) -> Any:
    """An organisation with ``owner``, its assessment initialised from an example profile through the use cases."""
    from django.utils import timezone
    from django.utils.text import slugify

    from antai.app import usecases
    from antai.app.ports import Actor
    from antai.tailoring.profile import load_profile
    from antai.web.orgs.models import Membership, Organisation, Role
    from antai.web.site.common import catalog
    from antai.web.store.orm import OrmStore

    org = Organisation.objects.create(name=name, slug=slug or slugify(name) or "org")
    Membership.objects.create(organisation=org, user=owner, role=Role.OWNER)
    usecases.init(
        OrmStore(org), catalog(), load_profile(Path(f"example:{example}")), name, Actor(owner.email, timezone.now())
    )
    return org


def join(org: Any, user: Any, role: str, bank: str = "") -> None:
    from antai.web.orgs.models import Membership

    Membership.objects.create(
        organisation=org, user=user, role=role, bank=bank or ("Mizuho" if role == "reviewer" else "")
    )


def signed_in(user: Any, lang: str = "ja") -> Any:
    """A test client signed in as ``user`` that asks for pages in ``lang``."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@dataclass
class Team:
    org: Any
    url: str  # "/o/<slug>/"
    users: dict[str, Any]
    clients: dict[str, Any]  # one per role, and "outsider"

    def __getitem__(self, role: str) -> Any:
        return self.clients[role]


def team(name: str = "Kakeibo KK", example: str = "household-budget", lang: str = "ja") -> Team:
    users = {
        role: person(f"{role}@{name.lower().replace(' ', '-')}.example", mfa=role in ("owner", "editor"))
        for role in ROLES
    }
    org = organisation(name, users["owner"], example)
    for role in ROLES[1:]:
        join(org, users[role], role)
    outsider = person(f"outsider@{name.lower().replace(' ', '-')}.example", mfa=True)
    organisation(f"{name} rival", outsider, slug=f"{org.slug}-rival")
    users["outsider"] = outsider
    clients = {role: signed_in(user, lang) for role, user in users.items()}
    return Team(org=org, url=f"/o/{org.slug}/", users=users, clients=clients)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
