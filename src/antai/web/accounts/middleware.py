"""MFA before anything else for the people who can change an assessment (owners and editors).

A signed-in owner or editor without an authenticator is sent to allauth's MFA pages until one is set up; the
pages to set it up, to sign out and the health check stay reachable. Viewers and bank reviewers may add MFA
but are not forced to (their banks may ask for it in the organisation's policy later)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

OPEN_PREFIXES = ("/accounts/", "/healthz", "/static/")


def needs_mfa(user: object) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    from antai.web.orgs.models import MFA_ROLES, Membership

    if is_mfa_enabled(user):
        return False
    return Membership.objects.filter(user=user, role__in=list(MFA_ROLES)).exists()


class RequireMfa:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_mfa(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
