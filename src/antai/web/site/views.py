"""The pages. Each view finds the organisation through the signed-in user's membership, so a person never
reaches an organisation they do not belong to (404, not 403: its existence is not disclosed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from antai.errors import AntaiError
from antai.web.orgs.models import Membership, Organisation, Role
from antai.web.site import common
from antai.web.site.words import words

EXAMPLE_PROFILES = ("household-budget", "remittance")


def pending_migrations() -> list[str]:
    """The migrations this code has that the database has not applied ("app.name")."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 only when the database answers and every migration is applied; 503 with what is wrong otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = pending_migrations()
    except Exception as exc:  # the database is down or unreadable: say so, the process stays up
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "database": "ok", "pending_migrations": pending}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})


_catalog: Any = common.catalog  # its items are looked up by IDs the plan gave
_lang = common.lang
_actor = common.actor


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    said = words(_lang(request))
    organisations = [
        {"name": m.organisation.name, "slug": m.organisation.slug, "role": said[f"role.{m.role}"]}
        for m in memberships.order_by("organisation__name")
    ]
    error = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        example = request.POST.get("profile") or EXAMPLE_PROFILES[0]
        if not name or len(name) > 200 or example not in EXAMPLE_PROFILES:
            error = "name_required"
        else:
            organisation = _create(request, name, example)
            return redirect("dashboard", slug=organisation.slug)
    return render(
        request,
        "site/home.html",
        {"organisations": organisations, "profiles": EXAMPLE_PROFILES, "error": error},
        status=400 if error else 200,
    )


def _create(request: HttpRequest, name: str, example: str) -> Organisation:
    from pathlib import Path

    from django.db import transaction

    from antai.app import usecases
    from antai.tailoring.profile import load_profile
    from antai.web.store.orm import OrmStore

    base = slugify(name)[:40] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, slug=slug)
        Membership.objects.create(organisation=organisation, user=request.user, role=Role.OWNER)
    usecases.init(OrmStore(organisation), _catalog(), load_profile(Path(f"example:{example}")), name, _actor(request))
    return organisation


def _membership(request: HttpRequest, slug: str) -> Membership:
    return common.membership(request, slug)


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan
    from antai.web.store.orm import OrmStore

    membership = _membership(request, slug)
    lang = _lang(request)
    catalog = _catalog()
    snapshot = OrmStore(membership.organisation).load()
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, lang)
    scores = score(catalog, plan, assessment, timezone.localdate())
    chapters = [
        {"number": number, "title": _chapter_title(catalog, number, lang), "score": value}
        for number, value in scores.by_chapter.items()
    ]
    return render(
        request,
        "site/dashboard.html",
        {
            "organisation": membership.organisation,
            "role": membership.role,
            "scores": scores,
            "chapters": chapters,
            "gaps": [
                {
                    "id": g.id,
                    "priority": g.priority,
                    "title": catalog.item(g.id).title(lang),
                    "status": _status_label(g.status.value, lang),
                }
                for g in scores.gaps[:10]
            ],
            "history": words(lang)["history_entries"].format(count=snapshot.seq, head=snapshot.version[:12]),
        },
    )


def _chapter_title(catalog: Any, number: int, lang: str) -> str:
    chapter = catalog.chapter(number)
    return str(number) if chapter is None else chapter.title(lang)


EDITABLE_STATUSES = ("unanswered", "implemented", "partial", "planned", "not_implemented", "not_applicable")


_status_label = common.status_label


@login_required
@require_GET
def items(request: HttpRequest, slug: str) -> HttpResponse:
    from antai.tailoring.plan import make_plan
    from antai.web.store.orm import OrmStore

    membership = _membership(request, slug)
    lang = _lang(request)
    catalog = _catalog()
    assessment = OrmStore(membership.organisation).load().assessment
    plan = make_plan(catalog, assessment.profile, lang)
    rows = []
    for planned in plan.items:
        item = catalog.item(planned.id)
        status = assessment.answer(planned.id).status.value
        rows.append(
            {"id": planned.id, "title": item.title(lang), "priority": planned.priority,
             "status": _status_label(status, lang), "state": status}
        )  # fmt: skip
    return render(request, "site/items.html", {"organisation": membership.organisation, "rows": rows})


def _answer_fields(answer: Any, lang: str) -> list[tuple[str, str]]:
    """An answer as (label, value) rows for people, in ``lang``."""
    said = words(lang)
    rows = [(said["field_status"], _status_label(answer.status.value, lang))]
    for name in ("owner", "due", "reason", "note"):
        value = getattr(answer, name)
        if value:
            rows.append((said[f"field_{name}"], str(value)))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, slug: str, item_id: str) -> HttpResponse:
    """One item: what it asks, the answer, and (for owners and editors) the form to change it. The form carries
    the answer it was opened on; saving over an answer someone else changed since is refused with both
    versions shown (409), never a silent overwrite."""
    from pydantic import ValidationError

    from antai.app import usecases
    from antai.assessment.model import Answer
    from antai.web.orgs.models import EDIT_ROLES
    from antai.web.store.orm import OrmStore

    membership = _membership(request, slug)
    lang = _lang(request)
    catalog = _catalog()
    entry = catalog.item(item_id)
    store = OrmStore(membership.organisation)
    assessment = store.load().assessment
    if entry is None or entry.id not in assessment.answers:
        raise Http404
    can_edit = membership.role in EDIT_ROLES
    current = assessment.answer(entry.id)
    context: dict[str, Any] = {
        "organisation": membership.organisation,
        "item": {"id": entry.id, "title": entry.title(lang), "objective": entry.objective(lang)},
        "answer": _answer_fields(current, lang),
        "can_edit": can_edit,
        "statuses": [(s, _status_label(s, lang)) for s in EDITABLE_STATUSES],
        "form": {
            "status": current.status.value,
            "owner": current.owner or "",
            "due": current.due or "",
            "reason": current.reason or "",
            "note": current.note or "",
        },
        "based_on": current.model_dump_json(),
    }
    status = 200
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        form = {name: (request.POST.get(name) or "").strip() for name in ("status", "owner", "due", "reason", "note")}
        context["form"] = form
        try:
            based_on = Answer.model_validate_json(request.POST.get("based_on") or "{}")
            change = _change(form)
            usecases.set_answer(store, catalog, _actor(request), entry.id, change, based_on=based_on)
        except usecases.AnswerChanged as conflict:
            said = words(lang)
            mine = [(said["field_status"], _status_label(form["status"], lang))] + [
                (said[f"field_{name}"], form[name]) for name in ("owner", "due", "reason", "note") if form[name]
            ]
            context.update(
                conflict=_answer_fields(conflict.current, lang), mine=mine, based_on=conflict.current.model_dump_json()
            )
            context["answer"] = _answer_fields(conflict.current, lang)
            status = 409
        except (ValueError, ValidationError) as exc:
            context["error"] = str(exc).splitlines()[0][:300]
            status = 400
        except AntaiError as exc:
            context["error"] = common.error_words(exc, lang)
            context["error_lang"] = lang
            status = 400
        else:
            return redirect("item", slug=slug, item_id=entry.id)
    return render(request, "site/item.html", context, status=status)


def _change(form: dict[str, str]) -> Any:
    import datetime as dt

    from antai.assessment.model import Status
    from antai.assessment.rules import AnswerChange

    if form["status"] not in EDITABLE_STATUSES:
        raise ValueError(f"unknown status {form['status']!r}")
    return AnswerChange(
        status=Status(form["status"]),
        owner=form["owner"] or None,
        due=dt.date.fromisoformat(form["due"]) if form["due"] else None,
        reason=form["reason"] or None,
        note=form["note"] or None,
    )


INVITABLE_ROLES = ("editor", "viewer", "reviewer")


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's members and open invitations; owners invite by e-mail (a link that expires)."""
    from django.core.mail import send_mail
    from django.core.validators import validate_email

    from antai.web.orgs.models import INVITATION_DAYS, Invitation

    membership = _membership(request, slug)
    organisation = membership.organisation
    lang = _lang(request)
    said = words(lang)
    is_owner = membership.role == Role.OWNER
    error = None
    sent_to = None
    if request.method == "POST":
        if not is_owner:
            return HttpResponse(status=403)
        email = (request.POST.get("email") or "").strip().lower()
        role = request.POST.get("role") or ""
        bank = (request.POST.get("bank") or "").strip()[:200]
        try:
            validate_email(email)
        except Exception:
            error = "invite_bad_email"
        if error is None and role not in INVITABLE_ROLES:
            error = "invite_bad_role"
        if error is None and role == Role.REVIEWER and not bank:
            error = "invite_needs_bank"
        if error is None:
            _, token = Invitation.issue(organisation, email, role, request.user, bank)
            link = request.build_absolute_uri(f"/invite/{token}/")
            send_mail(
                said["invite_subject"].format(organisation=organisation.name),
                said["invite_body"].format(
                    organisation=organisation.name, role=said[f"role.{role}"], link=link, days=INVITATION_DAYS
                ),
                None,
                [email],
            )
            sent_to = email
    people = [
        {"email": m.user.email, "role": said[f"role.{m.role}"], "bank": m.bank}
        for m in organisation.memberships.select_related("user").order_by("created")
    ]
    pending = [
        {"email": i.email, "role": said[f"role.{i.role}"], "expires": i.expires}
        for i in organisation.invitations.filter(accepted__isnull=True, expires__gt=timezone.now()).order_by("created")
    ]
    return render(
        request,
        "site/members.html",
        {
            "organisation": organisation,
            "people": people,
            "pending": pending,
            "is_owner": is_owner,
            "roles": [(r, said[f"role.{r}"]) for r in INVITABLE_ROLES],
            "error": error,
            "sent": said["invite_sent"].format(email=sent_to) if sent_to else None,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: shown to the person signed in with the invited, verified address, who accepts it
    with a POST. A used, expired or unknown link, or another person's, gives 404 and changes nothing."""
    from allauth.account.models import EmailAddress
    from django.db import transaction

    from antai.web.orgs.models import Invitation

    invitation = Invitation.find(token)
    verified = (
        invitation is not None
        and EmailAddress.objects.filter(user=request.user, email__iexact=invitation.email, verified=True).exists()
    )
    if invitation is None or not verified:
        return render(request, "site/invitation_gone.html", status=404)
    said = words(_lang(request))
    if request.method == "POST":
        with transaction.atomic():
            fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if fresh.accepted is not None:
                return render(request, "site/invitation_gone.html", status=404)
            # already a member: the role stays as it is, and the invitation is used up all the same
            Membership.objects.get_or_create(
                organisation=fresh.organisation, user=request.user, defaults={"role": fresh.role, "bank": fresh.bank}
            )
            fresh.accepted = timezone.now()
            fresh.save(update_fields=["accepted"])
        return redirect("dashboard", slug=invitation.organisation.slug)
    return render(
        request,
        "site/invitation.html",
        {"organisation": invitation.organisation, "role": said[f"role.{invitation.role}"], "bank": invitation.bank},
    )
