"""The team web app through Django's test client, as a founder meets it: sign up, verify the address, sign in,
create the organisation, be made to set up MFA before anything else, then see the dashboard; and another
person who is not a member never sees it."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts attempts in the cache, per client address: every test client is 127.0.0.1."""
    from django.core.cache import cache

    cache.clear()


def _signed_up(client: Any, mailoutbox: list[Any], email: str) -> None:
    """Sign up, follow the verification link from the e-mail, sign in."""
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 302, response.content[:2000]
    [mail] = [m for m in mailoutbox if email in m.to and "/accounts/confirm-email/" in m.body]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.body)
    assert link, mail.body
    confirm = client.post(link.group(1))
    assert confirm.status_code == 302
    client.logout()
    signed_in = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/", signed_in.content[:2000]


def _totp_now(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _activate_totp(client: Any) -> None:
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    page = client.get("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before an authenticator is added
    assert page.status_code == 302 and page.headers["Location"].startswith("/accounts/reauthenticate/")
    again = client.post(page.headers["Location"], {"password": PASSWORD})
    assert again.status_code == 302 and again.headers["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    done = client.post("/accounts/2fa/totp/activate/", {"code": _totp_now(secret)})
    assert done.status_code == 302, done.content[:2000]


def test_a_founder_signs_up_is_made_to_enrol_mfa_and_sees_the_dashboard(client: Any, mailoutbox: list[Any]) -> None:
    _signed_up(client, mailoutbox, "founder@kakeibo.example")
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    assert home.status_code == 200 and "まだ組織がない" in home.content.decode()
    created = client.post("/", {"name": "家計簿アプリ株式会社", "profile": "household-budget"})
    assert created.status_code == 302
    dashboard_url = created.headers["Location"]
    assert re.fullmatch(r"/o/[\w-]+/", dashboard_url), dashboard_url
    # an owner without MFA is sent to set it up, whatever page is asked for
    blocked = client.get(dashboard_url)
    assert blocked.status_code == 302 and blocked.headers["Location"] == "/accounts/2fa/totp/activate/"
    _activate_totp(client)
    page = client.get(dashboard_url, HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200
    text = page.content.decode()
    assert "家計簿アプリ株式会社" in text and "総合スコア" in text and "章別" in text
    assert re.search(r'<p class="big" id="overall">0\.0</p>', text), text  # nothing answered yet


def test_a_person_outside_the_organisation_gets_not_found(client: Any, mailoutbox: list[Any]) -> None:
    from django.test import Client

    _signed_up(client, mailoutbox, "owner@a.example")
    created = client.post("/", {"name": "A KK", "profile": "remittance"})
    dashboard_url = created.headers["Location"]
    other = Client()
    _signed_up(other, mailoutbox, "someone@b.example")
    assert other.get(dashboard_url).status_code == 404  # not 403: the organisation's existence is not disclosed
    assert other.get("/o/no-such-org/").status_code == 404


def test_a_name_that_is_too_long_is_refused_with_a_message(client: Any, mailoutbox: list[Any]) -> None:
    _signed_up(client, mailoutbox, "long@name.example")
    refused = client.post("/", {"name": "x" * 201, "profile": "remittance"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert refused.status_code == 400 and "組織名を入れる（200 文字まで）" in refused.content.decode()


def test_wrong_passwords_are_rate_limited(client: Any, mailoutbox: list[Any]) -> None:
    _signed_up(client, mailoutbox, "limited@x.example")
    client.logout()
    for _ in range(5):
        wrong = client.post("/accounts/login/", {"login": "limited@x.example", "password": "wrong"})
        assert wrong.status_code == 200  # the form again, with the error
    # the sixth try within five minutes is refused even with the right password
    right = client.post(
        "/accounts/login/", {"login": "limited@x.example", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert right.status_code == 200 and "Too many failed login attempts" in right.content.decode()
    from django.contrib.auth import get_user_model

    stored = get_user_model().objects.get(email="limited@x.example")
    assert stored.password.startswith("argon2$")  # hashed with argon2, never stored as given


def test_the_suite_runs_on_the_database_it_was_given() -> None:
    """.ci/run runs these tests a second time with DATABASE_URL naming a real PostgreSQL server."""
    import os

    from django.db import connection

    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")


def _member(mailoutbox: list[Any], email: str, organisation_url: str, role: str) -> Any:
    """A second person, signed up and signed in, given ``role`` in the organisation at ``organisation_url``
    (invitations are not built yet: the membership is made directly)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from antai.web.orgs.models import Membership, Organisation

    client = Client()
    _signed_up(client, mailoutbox, email)
    slug = organisation_url.strip("/").split("/")[1]
    user = get_user_model().objects.get(email=email)
    Membership.objects.create(organisation=Organisation.objects.get(slug=slug), user=user, role=role)
    return client


def _owner_with_org(client: Any, mailoutbox: list[Any]) -> str:
    _signed_up(client, mailoutbox, "owner@kakeibo.example")
    url = client.post("/", {"name": "Kakeibo KK", "profile": "household-budget"}).headers["Location"]
    _activate_totp(client)
    return str(url)


def test_an_editor_changes_an_answer_and_the_dashboard_counts_it(client: Any, mailoutbox: list[Any]) -> None:
    url = _owner_with_org(client, mailoutbox)
    page = client.get(url + "items/IAM-01/", HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200 and "未回答" in page.content.decode()
    based_on = re.search(r'name="based_on" value="([^"]+)"', page.content.decode())
    assert based_on
    import html

    saved = client.post(
        url + "items/IAM-01/",
        {"status": "implemented", "owner": "CTO", "due": "", "reason": "", "note": "hardware keys",
         "based_on": html.unescape(based_on.group(1))},
    )  # fmt: skip
    assert saved.status_code == 302 and saved.headers["Location"] == url + "items/IAM-01/"
    after = client.get(url + "items/IAM-01/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "実施済み" in after and "hardware keys" in after
    listing = client.get(url + "items/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'IAM-01</a></td><td>[^<]+</td><td>P\d</td>\s*<td class="status implemented">Implemented', listing)


def test_two_editors_never_overwrite_each_other_silently(client: Any, mailoutbox: list[Any]) -> None:
    import html

    url = _owner_with_org(client, mailoutbox)
    editor = _member(mailoutbox, "editor@kakeibo.example", url, "editor")
    _activate_totp(editor)
    opened = [
        html.unescape(re.search(r'name="based_on" value="([^"]+)"', c.get(url + "items/IAM-01/").content.decode())[1])
        for c in (client, editor)
    ]
    first = client.post(
        url + "items/IAM-01/",
        {"status": "implemented", "owner": "CTO", "due": "", "reason": "", "note": "", "based_on": opened[0]},
    )
    assert first.status_code == 302
    second = editor.post(
        url + "items/IAM-01/",
        {"status": "not_implemented", "owner": "SRE", "due": "", "reason": "", "note": "later", "based_on": opened[1]},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "開いた後に他の人がこの回答を変更したため、保存していない" in text
    their = re.search(r'<dl id="their-version">(.*?)</dl>', text, re.S)
    mine = re.search(r'<dl id="your-version">(.*?)</dl>', text, re.S)
    assert their and "実施済み" in their[1] and "CTO" in their[1]
    assert mine and "未実施" in mine[1] and "SRE" in mine[1] and "later" in mine[1]
    # the stored answer is the first editor's; saving again from the conflict page (now based on it) goes through
    now = client.get(url + "items/IAM-01/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "実施済み" in now and "later" not in now
    fresh = html.unescape(re.search(r'name="based_on" value="([^"]+)"', text)[1])
    retry = editor.post(
        url + "items/IAM-01/",
        {"status": "not_implemented", "owner": "SRE", "due": "", "reason": "", "note": "later", "based_on": fresh},
    )
    assert retry.status_code == 302


def test_a_viewer_and_a_bank_reviewer_read_but_cannot_change(client: Any, mailoutbox: list[Any]) -> None:
    url = _owner_with_org(client, mailoutbox)
    for role, email in (("viewer", "viewer@kakeibo.example"), ("reviewer", "risk@bank.example")):
        reader = _member(mailoutbox, email, url, role)
        page = reader.get(url + "items/IAM-01/", HTTP_ACCEPT_LANGUAGE="ja")  # no MFA needed to read
        assert page.status_code == 200, role
        text = page.content.decode()
        assert "この役割では閲覧のみ" in text and 'name="based_on"' not in text
        refused = reader.post(url + "items/IAM-01/", {"status": "implemented", "based_on": "{}"})
        assert refused.status_code == 403, role
    assert "未回答" in client.get(url + "items/IAM-01/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()


def test_an_unknown_item_or_a_bad_form_is_refused_without_a_change(client: Any, mailoutbox: list[Any]) -> None:
    url = _owner_with_org(client, mailoutbox)
    assert client.get(url + "items/NOPE-99/").status_code == 404
    page = client.get(url + "items/IAM-01/").content.decode()
    import html

    based_on = html.unescape(re.search(r'name="based_on" value="([^"]+)"', page)[1])
    planned = client.post(
        url + "items/IAM-01/",
        {"status": "planned", "owner": "", "due": "", "reason": "", "note": "", "based_on": based_on},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert planned.status_code == 400 and 'id="form-error"' in planned.content.decode()
    # the rule's refusal in the reader's words, as the CLI words it
    refusal = re.search(r'<span lang="ja">([^<]+)</span>', planned.content.decode())
    assert refusal and refusal[1] == "IAM-01: 実施予定には期限が必要", planned.content.decode()[-1500:]
    bad_date = client.post(
        url + "items/IAM-01/",
        {"status": "planned", "owner": "", "due": "2027-13-40", "reason": "", "note": "", "based_on": based_on},
    )
    assert bad_date.status_code == 400
    assert "未回答" in client.get(url + "items/IAM-01/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()


def _invite(owner: Any, url: str, mailoutbox: list[Any], email: str, role: str, bank: str = "") -> str:
    sent = owner.post(url + "members/", {"email": email, "role": role, "bank": bank}, HTTP_ACCEPT_LANGUAGE="ja")
    assert sent.status_code == 200 and f"{email} に招待のリンクを送った" in sent.content.decode()
    [mail] = [m for m in mailoutbox if email in m.to and "招待" in m.subject]
    link = re.search(r"https?://[^/\s]+(/invite/[\w-]+/)", mail.body)
    assert link, mail.body
    return link.group(1)


def test_an_owner_invites_a_bank_reviewer_who_accepts_once(client: Any, mailoutbox: list[Any]) -> None:
    from django.test import Client

    from antai.web.orgs.models import Invitation, Membership

    url = _owner_with_org(client, mailoutbox)
    needs_bank = client.post(url + "members/", {"email": "risk@bank.example", "role": "reviewer", "bank": ""})
    assert needs_bank.status_code == 400 and 'id="invite-error"' in needs_bank.content.decode()
    link = _invite(client, url, mailoutbox, "risk@bank.example", "reviewer", "みらい銀行")
    assert Invitation.objects.get().token_sha256 not in link  # only the token's digest is stored
    stranger = Client()
    _signed_up(stranger, mailoutbox, "stranger@else.example")
    assert stranger.get(link).status_code == 404  # a link meant for someone else does nothing
    reviewer = Client()
    _signed_up(reviewer, mailoutbox, "risk@bank.example")
    page = reviewer.get(link, HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200 and "銀行の確認者（みらい銀行）" in page.content.decode()
    accepted = reviewer.post(link)
    assert accepted.status_code == 302 and accepted.headers["Location"] == url
    member = Membership.objects.get(user__email="risk@bank.example")
    assert (member.role, member.bank) == ("reviewer", "みらい銀行")
    assert reviewer.get(url).status_code == 200  # a reviewer reads without being forced to set up MFA
    assert reviewer.post(link).status_code == 404  # used once
    assert reviewer.post(url + "members/", {"email": "x@y.example", "role": "editor"}).status_code == 403


def test_an_expired_invitation_does_nothing(client: Any, mailoutbox: list[Any]) -> None:
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from antai.web.orgs.models import Invitation, Membership

    url = _owner_with_org(client, mailoutbox)
    link = _invite(client, url, mailoutbox, "late@kakeibo.example", "editor")
    Invitation.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    late = Client()
    _signed_up(late, mailoutbox, "late@kakeibo.example")
    assert late.post(link).status_code == 404
    assert not Membership.objects.filter(user__email="late@kakeibo.example").exists()


def test_the_language_can_be_switched_and_is_kept(client: Any) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="ja">' in page and 'name="language" value="en"' in page
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/accounts/login/"
    again = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="en">' in again  # the choice outlasts the browser's preference
