"""What every page of the web app needs: the catalog, the reader's language, the acting person, the
organisation through the signed-in user's membership, role checks, and core errors in the reader's words.

Views in every app of the web edge use these, so a permission is decided the same way on every page."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone

from antai.web.orgs.models import Membership

if TYPE_CHECKING:
    from antai.app.ports import Actor
    from antai.catalog import Catalog
    from antai.errors import AntaiError
    from antai.web.orgs.models import Organisation
    from antai.web.store.orm import OrmStore


@functools.cache
def catalog() -> Catalog:
    """The built-in catalog, read once per process."""
    from antai.catalog import load_catalog

    return load_catalog()


def lang(request: HttpRequest) -> str:
    """ "ja" or "en", from the language the request was answered in (Japanese unless English was asked for)."""
    return "ja" if str(getattr(request, "LANGUAGE_CODE", "ja")).startswith("ja") else "en"


def actor(request: HttpRequest) -> Actor:
    """The signed-in person, now: who the history records for a change made on this request."""
    from antai.app.ports import Actor

    return Actor(request.user.get_username(), timezone.now())


def membership(request: HttpRequest, slug: str, roles: Iterable[str] | None = None) -> Membership:
    """The signed-in user's membership of organisation ``slug``: 404 for a non-member (the organisation's
    existence is not disclosed), 403 for a member whose role is not in ``roles`` (when given)."""
    found = Membership.objects.filter(user=request.user, organisation__slug=slug).select_related("organisation").first()
    if found is None:
        raise Http404
    if roles is not None and found.role not in set(roles):
        raise PermissionDenied
    return found


def store(organisation: Organisation) -> OrmStore:
    """The assessment store of ``organisation``."""
    from antai.web.store.orm import OrmStore

    return OrmStore(organisation)


def status_label(status: str, lang: str) -> str:
    from antai.labels import label

    return label(f"status.{status}", lang)


def error_words(exc: AntaiError, lang: str) -> str:
    """A core refusal as the reader should see it: Japanese from its code (the same wording as the CLI's),
    the English text otherwise; one line, bounded."""
    from antai.messages import error_text

    text = error_text(exc.code, exc.params, str(exc), lang).splitlines()[0]
    # the CLI's wording ends some refusals with the option to use ("（--due YYYY-MM-DD）"): not for a form
    return CLI_HINT.sub("", text)[:500]


CLI_HINT = re.compile(r"\s*[（(]`?--[^）)]*[）)]")
