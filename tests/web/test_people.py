"""The shortcut every page test starts from gives each role what the real sign-up gives it."""

from __future__ import annotations

import pytest

from tests.web.people import team

pytestmark = pytest.mark.django_db


def test_each_role_reaches_its_organisation_and_the_outsider_does_not() -> None:
    t = team()
    for role in ("owner", "editor", "viewer", "reviewer"):
        page = t[role].get(t.url)
        assert page.status_code == 200, role
        assert "総合スコア" in page.content.decode(), role
    assert t["outsider"].get(t.url).status_code == 404
    # the outsider has an organisation of their own
    assert t["outsider"].get(f"/o/{t.org.slug}-rival/").status_code == 200
