"""Writes for programmes, people, roles and the municipality register."""

from __future__ import annotations

import csv
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import (
    County,
    Invitation,
    Municipality,
    MunicipalityChange,
    Program,
    Role,
    RoleKind,
    User,
)
from traineenett.core.municipalities import Change, parse_klass_changes
from traineenett.core.tokens import hash_token

DATA_DIR = Path(__file__).resolve().parent / "data"
# First path segments the site itself uses; a programme cannot take them as its slug.
RESERVED_SLUGS = frozenset(
    {"admin", "accounts", "i18n", "static", "media", "invitation", "api", "platform", "healthz"}
)


# ---------------------------------------------------------------- municipality register


@transaction.atomic
def municipality_register_load() -> tuple[int, int, int]:
    """Load (or refresh) the shipped counties, municipalities and change history."""
    with open(DATA_DIR / "counties.csv", encoding="utf-8") as handle:
        counties = [
            County(number=row["number"], name=row["name"]) for row in csv.DictReader(handle)
        ]
    County.objects.bulk_create(
        counties, update_conflicts=True, unique_fields=["number"], update_fields=["name"]
    )
    with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as handle:
        municipalities = [
            Municipality(
                number=row["number"],
                name=row["name"],
                county_id=row["county"],
                latitude=row["latitude"],
                longitude=row["longitude"],
            )
            for row in csv.DictReader(handle)
        ]
    Municipality.objects.bulk_create(
        municipalities,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["name", "county", "latitude", "longitude"],
    )
    changes = parse_klass_changes((DATA_DIR / "municipality_changes.csv").read_bytes())
    added = _store_changes(changes)
    return len(counties), len(municipalities), added


def _store_changes(changes: list[Change]) -> int:
    existing = set(MunicipalityChange.objects.values_list("old_code", "new_code", "changed_on"))
    new_rows = [
        MunicipalityChange(
            old_code=change.old_code,
            old_name=change.old_name,
            new_code=change.new_code,
            new_name=change.new_name,
            changed_on=change.changed_on,
        )
        for change in dict.fromkeys(changes)
        if (change.old_code, change.new_code, change.changed_on) not in existing
    ]
    MunicipalityChange.objects.bulk_create(new_rows)
    return len(new_rows)


@transaction.atomic
def municipality_changes_import(*, data: bytes, actor: Any = None) -> int:
    """Add a KLASS change table (all or nothing). Returns the number of new rows."""
    changes = parse_klass_changes(data)
    added = _store_changes(changes)
    if added:
        audit(
            action="core.municipality_changes.imported",
            obj=None,
            actor=actor,
            changes={"rows": len(changes), "added": added},
        )
    return added


def catchment_codes_expand(codes: str) -> list[str]:
    """Expand "3403,34,1820" (municipality and/or county numbers) to municipality numbers.

    Raises ValidationError naming every code that is not a current municipality or county.
    """
    numbers: list[str] = []
    unknown: list[str] = []
    for raw in codes.split(","):
        code = raw.strip()
        if not code:
            continue
        if len(code) == 2 and code.isdigit():
            found = list(
                Municipality.objects.filter(county_id=code).values_list("number", flat=True)
            )
        elif len(code) == 4 and code.isdigit():
            found = list(Municipality.objects.filter(number=code).values_list("number", flat=True))
        else:
            found = []
        if found:
            numbers.extend(found)
        else:
            unknown.append(code)
    if unknown:
        raise ValidationError(
            {
                "catchment": _(
                    "Unknown municipality or county number(s): %(codes)s. Use current 4-digit "
                    "municipality numbers or 2-digit county numbers."
                )
                % {"codes": ", ".join(unknown)}
            }
        )
    if not numbers:
        raise ValidationError({"catchment": _("The catchment needs at least one municipality.")})
    return sorted(set(numbers))


# ------------------------------------------------------------------------- programmes


@transaction.atomic
def program_create(
    *, slug: str, name: str, catchment_codes: str, actor: Any = None, **settings_fields: Any
) -> Program:
    """Create a programme with its catchment. Raises ValidationError naming the field."""
    if slug.lower() in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("“%(slug)s” is reserved; choose another.") % {"slug": slug}}
        )
    if Program.objects.filter(slug=slug).exists():
        raise ValidationError(
            {
                "slug": _("A programme with the short name “%(slug)s” already exists.")
                % {"slug": slug}
            }
        )
    numbers = catchment_codes_expand(catchment_codes)
    program = Program(slug=slug, name=name, **settings_fields)
    program.full_clean()
    program.save()
    program.catchment.set(Municipality.objects.filter(number__in=numbers))
    audit(
        action="core.program.created",
        obj=program,
        actor=actor,
        program=program,
        changes={"slug": slug, "name": name, "catchment": len(numbers)},
    )
    return program


@transaction.atomic
def program_update(*, program: Program, data: dict[str, Any], actor: Any = None) -> Program:
    """Change a programme's name and settings; the slug and catchment stay."""
    changes = changed_fields(program, data)
    program.full_clean()
    program.save()
    if changes:
        audit(
            action="core.program.updated",
            obj=program,
            actor=actor,
            program=program,
            changes=changes,
        )
    return program


# ------------------------------------------------------------------------ people, roles


@transaction.atomic
def role_grant(
    *, program: Program, user: User, kind: str, organisation: Any = None, actor: Any = None
) -> Role:
    """Give ``user`` a role in ``program`` (idempotent). A host role needs an organisation."""
    if kind == RoleKind.HOST and organisation is None:
        raise ValidationError({"organisation": _("A host contact must belong to an organisation.")})
    if kind != RoleKind.HOST:
        organisation = None
    role, created = Role.objects.get_or_create(
        user=user, program=program, kind=kind, organisation=organisation
    )
    if created:
        audit(
            action="core.role.granted",
            obj=role,
            actor=actor,
            program=program,
            changes={"user": user.email, "kind": kind, "organisation": organisation},
        )
    return role


@transaction.atomic
def role_revoke(*, role: Role, actor: Any = None) -> None:
    audit(
        action="core.role.revoked",
        obj=role,
        actor=actor,
        program=role.program,
        changes={"user": role.user.email, "kind": role.kind},
    )
    role.delete()


def invitation_create(
    *,
    program: Program,
    email: str,
    kind: str,
    organisation: Any = None,
    first_name: str = "",
    last_name: str = "",
    invited_by: Any = None,
    accept_url_builder: Any = None,
) -> Invitation:
    """Invite a person to a role: e-mail a link (valid INVITATION_VALID_DAYS days) that sets
    the password of the account with that address, creating it if needed, and grants the
    role. Only the hash of the link's token is stored."""
    email = email.strip().lower()
    if kind == RoleKind.HOST and organisation is None:
        raise ValidationError({"organisation": _("A host contact must belong to an organisation.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            program=program,
            email=email,
            first_name=first_name,
            last_name=last_name,
            kind=kind,
            organisation=organisation if kind == RoleKind.HOST else None,
            token_hash=hash_token(token),
            invited_by=invited_by if getattr(invited_by, "is_authenticated", False) else None,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        audit(
            action="core.invitation.created",
            obj=invitation,
            actor=invited_by,
            program=program,
            changes={"email": email, "kind": kind},
        )
    path = reverse("invitation_accept", kwargs={"token": token})
    link = accept_url_builder(path) if accept_url_builder else path
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"invitation": invitation, "link": link, "program": program}
        subject = _("You are invited to %(program)s on Traineenett") % {"program": program.name}
        body = render_to_string("core/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The open (unused, unexpired) invitation for a token, or None."""
    return (
        Invitation.objects.select_related("program", "organisation")
        .filter(
            token_hash=hash_token(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str, first_name: str, last_name: str
) -> User:
    """Create (or reuse) the account, set its password and grant the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(email=invitation.email)
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    user.set_password(password)
    user.save()
    role_grant(
        program=invitation.program,
        user=user,
        kind=invitation.kind,
        organisation=invitation.organisation,
        actor=user,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit(action="core.invitation.accepted", obj=invitation, actor=user, program=invitation.program)
    return user
