"""Writes for the follow-up: alumni and their residence and employment observations."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traineenett.cohorts.calendar import add_months
from traineenett.cohorts.models import Cohort, Trainee
from traineenett.cohorts.services import cohort_create
from traineenett.core.audit import audit
from traineenett.core.models import Municipality, MunicipalityChange, Program
from traineenett.core.municipalities import Change
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.followup.importing import ParsedFile, Problem, as_text, parse_followup_csv
from traineenett.followup.models import (
    Alumnus,
    EmploymentObservation,
    ObservationSource,
    Origin,
    ResidenceObservation,
)
from traineenett.followup.municipality_dates import MunicipalityCalendar


def municipality_calendar() -> MunicipalityCalendar:
    """The register and change history, loaded in two queries."""
    return MunicipalityCalendar(
        Municipality.objects.values_list("number", flat=True),
        (
            Change(changed_on=day, old_code=old, new_code=new)
            for old, new, day in MunicipalityChange.objects.values_list(
                "old_code", "new_code", "changed_on"
            )
        ),
    )


def trainee_pseudonym(trainee_pk: int) -> str:
    """A stable pseudonymous id for a trainee: it reveals neither name nor database id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"followup.trainee.{trainee_pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t-{digest[:16]}"


@transaction.atomic
def alumni_sync(program: Program, *, today: date | None = None, actor: Any = None) -> int:
    """Create an Alumnus for every trainee of a finished cohort who has none yet.

    A cohort is finished when it ended before ``today``. The person id is a stable
    pseudonym; the origin is "local" when the home municipality before the programme
    lies in the catchment, "moved" when it lies outside, unknown without one. Running
    it again creates nothing new. Returns the number of alumni created.
    """
    today = today or timezone.localdate()
    catchment = set(program.catchment.values_list("number", flat=True))
    trainees = (
        Trainee.objects.filter(program=program, cohort__ends_on__lt=today, alumnus__isnull=True)
        .select_related("cohort")
        .order_by("pk")
    )
    new_alumni = []
    for trainee in trainees:
        if trainee.home_municipality_id is None:
            origin = Origin.UNKNOWN
        elif trainee.home_municipality_id in catchment:
            origin = Origin.LOCAL
        else:
            origin = Origin.MOVED
        new_alumni.append(
            Alumnus(
                program=program,
                person=trainee_pseudonym(trainee.pk),
                cohort=trainee.cohort,
                trainee=trainee,
                program_end=trainee.cohort.ends_on,
                email=trainee.email,
                origin=origin,
            )
        )
    Alumnus.objects.bulk_create(new_alumni)
    if new_alumni:
        audit(
            action="followup.alumni.synced",
            obj=None,
            actor=actor,
            program=program,
            changes={"created": len(new_alumni)},
        )
    return len(new_alumni)


def _check_source(source: str) -> None:
    if source not in ObservationSource.values:
        raise ValidationError({"source": _("Choose survey, import or coordinator.")})


def _check_observed_on(observed_on: Any, alumnus: Alumnus) -> None:
    if not isinstance(observed_on, date):
        raise ValidationError({"observed_on": _("Enter a date.")})
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": _("The date may not lie in the future.")})


def municipality_number_check(
    number: str, observed_on: date, calendar: MunicipalityCalendar | None = None
) -> str:
    """The number stripped, or ValidationError when it was not in force on that date."""
    number = (number or "").strip()
    if not (len(number) == 4 and number.isdigit()):
        raise ValidationError(
            {"municipality_number": _("Enter a 4-digit municipality number.")},
        )
    calendar = calendar or municipality_calendar()
    if not calendar.in_force(number, observed_on):
        raise ValidationError(
            {
                "municipality_number": _("%(number)s was not a municipality number on %(date)s.")
                % {"number": number, "date": observed_on.strftime("%d.%m.%Y")}
            }
        )
    return number


@transaction.atomic
def residence_record(
    alumnus: Alumnus,
    *,
    observed_on: date,
    municipality_number: str,
    source: str,
    actor: Any = None,
    calendar: MunicipalityCalendar | None = None,
) -> ResidenceObservation:
    """Record where an alumnus lived on a date. The number is stored as reported and must
    have been a municipality number on that date (old numbers are valid for old dates).
    ``calendar``: a loaded register, for callers recording many observations at once."""
    _check_source(source)
    _check_observed_on(observed_on, alumnus)
    number = municipality_number_check(municipality_number, observed_on, calendar)
    observation = ResidenceObservation.objects.create(
        alumnus=alumnus, observed_on=observed_on, municipality_number=number, source=source
    )
    audit(
        action="followup.residence.recorded",
        obj=observation,
        actor=actor,
        program=alumnus.program,
        changes={
            "alumnus": alumnus.person,
            "observed_on": observed_on,
            "municipality_number": number,
            "source": source,
        },
    )
    return observation


@transaction.atomic
def employment_record(
    alumnus: Alumnus,
    *,
    observed_on: date,
    employer_name: str,
    organisation_number: str = "",
    employer_is_member: bool | None = None,
    relevant_to_education: bool | None = None,
    source: str,
    actor: Any = None,
) -> EmploymentObservation:
    """Record where an alumnus worked on a date. The organisation number is optional but,
    when given, must be a valid Norwegian one (9 digits, mod-11)."""
    _check_source(source)
    _check_observed_on(observed_on, alumnus)
    employer_name = (employer_name or "").strip()
    if not employer_name:
        raise ValidationError({"employer_name": _("Enter the employer's name.")})
    organisation_number = normalise_organisation_number(organisation_number)
    if organisation_number:
        try:
            validate_organisation_number(organisation_number)
        except ValidationError as error:
            raise ValidationError({"organisation_number": error.messages}) from None
    observation = EmploymentObservation(
        alumnus=alumnus,
        observed_on=observed_on,
        employer_name=employer_name,
        organisation_number=organisation_number,
        employer_is_member=employer_is_member,
        relevant_to_education=relevant_to_education,
        source=source,
    )
    observation.full_clean()
    observation.save()
    audit(
        action="followup.employment.recorded",
        obj=observation,
        actor=actor,
        program=alumnus.program,
        changes={
            "alumnus": alumnus.person,
            "observed_on": observed_on,
            "employer_name": employer_name,
            "organisation_number": organisation_number,
        },
    )
    return observation


# --------------------------------------------------------------------------- import


def _problem_messages() -> dict[str, str]:
    return {
        "encoding": _("The file is not UTF-8 encoded."),
        "empty": _("The file is empty; expected the header %(columns)s."),
        "missing_columns": _("Missing column(s): %(columns)s."),
        "no_rows": _("The file has a header but no rows."),
        "columns": _("Expected %(expected)s columns, found %(found)s."),
        "required": _("%(column)s is required."),
        "too_long": _("%(column)s may have at most %(max)s characters."),
        "unreadable": _("The line cannot be read as CSV (is a field too long?)."),
        "unknown_program": _("Unknown programme “%(value)s”."),
        "other_program": _(
            "The row is for the programme “%(value)s”; this page imports rows of this "
            "programme only."
        ),
        "bad_date": _("%(column)s must be a date (YYYY-MM-DD), not “%(value)s”."),
        "future_date": _("%(column)s “%(value)s” lies in the future."),
        "bad_offered_job": _("offered_job must be true, false or empty, not “%(value)s”."),
        "bad_municipality": _("municipality must be a 4-digit number, not “%(value)s”."),
        "unknown_municipality": _(
            "municipality %(value)s was not a municipality number on %(date)s."
        ),
        "inconsistent": _(
            "%(column)s of %(person)s is “%(value)s” here but “%(first_value)s” on line "
            "%(first_line)s."
        ),
        "stored_differs": _(
            "%(column)s of %(person)s is “%(value)s” here but “%(first_value)s” in the "
            "programme's records."
        ),
    }


class ImportRejected(Exception):
    """The file was refused; ``errors`` lists (line, message) for every problem."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"line {line}: {message}" for line, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    rows: int
    alumni_created: int
    alumni_updated: int
    cohorts_created: int
    observations_created: int


def followup_import(
    *,
    data: bytes,
    actor: Any = None,
    today: date | None = None,
    only_program: Program | None = None,
) -> ImportResult:
    """Import follow-up history (all or nothing). Unknown persons become alumni and unknown
    cohort labels finished cohorts of the programme; rows already imported are skipped,
    so the same file twice changes nothing. Raises ImportRejected listing every error.
    With ``only_program`` (the upload page) rows of any other programme are errors."""
    today = today or timezone.localdate()
    if only_program is not None:
        programs = {only_program.slug: only_program}
    else:
        programs = {program.slug: program for program in Program.objects.all()}
    calendar = municipality_calendar()
    parsed = parse_followup_csv(
        data,
        today=today,
        program_exists=lambda slug: slug in programs,
        number_in_force=calendar.in_force,
    )
    messages = _problem_messages()
    problems = [
        Problem(problem.line, "other_program", problem.params)
        if only_program is not None and problem.code == "unknown_program"
        else problem
        for problem in parsed.problems
    ]
    slugs = {program for program, _person in parsed.persons}
    stored = {
        (alumnus.program.slug, alumnus.person): alumnus
        for alumnus in Alumnus.objects.filter(program__slug__in=slugs).select_related(
            "program", "cohort"
        )
    }
    for key, person in parsed.persons.items():
        alumnus = stored.get(key)
        if alumnus is None:
            continue
        for column, mine, theirs in (
            ("cohort", person.cohort, alumnus.cohort.label),
            ("program_end", person.program_end, alumnus.program_end),
            ("offered_job", person.offered_job, alumnus.offered_job),
        ):
            if mine is not None and theirs is not None and mine != theirs:
                problems.append(
                    Problem(
                        person.line,
                        "stored_differs",
                        {
                            "column": column,
                            "person": person.person,
                            "value": as_text(mine),
                            "first_value": as_text(theirs),
                        },
                    )
                )
    if problems:
        problems.sort(key=lambda problem: problem.line)
        raise ImportRejected(
            [(problem.line, messages[problem.code] % problem.params) for problem in problems]
        )
    with transaction.atomic():
        result = _store_import(parsed, programs, stored, actor)
        for slug in sorted({program for program, _person in parsed.persons}):
            audit(
                action="followup.import.completed",
                obj=None,
                actor=actor,
                program=programs[slug],
                changes={
                    "rows": parsed.rows,
                    "alumni_created": result.alumni_created,
                    "observations_created": result.observations_created,
                },
            )
    return result


def _store_import(
    parsed: ParsedFile,
    programs: dict[str, Program],
    stored: dict[tuple[str, str], Alumnus],
    actor: Any,
) -> ImportResult:
    # Cohorts: an unknown label becomes a finished cohort spanning the usual length.
    labels: dict[tuple[str, str], list[date]] = {}
    for person in parsed.persons.values():
        labels.setdefault((person.program, person.cohort), []).append(person.program_end)
    cohorts = {
        (cohort.program.slug, cohort.label): cohort
        for cohort in Cohort.objects.filter(program__slug__in=programs.keys()).select_related(
            "program"
        )
        if (cohort.program.slug, cohort.label) in labels
    }
    cohorts_created = 0
    for (slug, label), ends in sorted(labels.items()):
        if (slug, label) in cohorts:
            continue
        program = programs[slug]
        ends_on = max(ends)
        months = program.rotation_period_count * program.rotation_period_months
        starts_on = add_months(min(ends) + timedelta(days=1), -months)
        cohorts[(slug, label)] = cohort_create(
            program=program,
            label=label,
            starts_on=min(starts_on, ends_on - timedelta(days=1)),
            ends_on=ends_on,
            common_salary=Decimal(0),
            actor=actor,
        )
        cohorts_created += 1
    new_alumni = []
    updated = 0
    for key, person in parsed.persons.items():
        alumnus = stored.get(key)
        if alumnus is None:
            new_alumni.append(
                Alumnus(
                    program=programs[person.program],
                    person=person.person,
                    cohort=cohorts[(person.program, person.cohort)],
                    program_end=person.program_end,
                    offered_job=person.offered_job,
                )
            )
        elif alumnus.offered_job is None and person.offered_job is not None:
            alumnus.offered_job = person.offered_job
            alumnus.save(update_fields=["offered_job"])
            updated += 1
    Alumnus.objects.bulk_create(new_alumni)
    alumni = {
        (alumnus.program.slug, alumnus.person): alumnus
        for alumnus in Alumnus.objects.filter(
            program__slug__in={program for program, _person in parsed.persons}
        ).select_related("program")
    }
    existing = set(
        ResidenceObservation.objects.filter(
            alumnus__in=[alumni[key] for key in parsed.persons]
        ).values_list("alumnus_id", "observed_on", "municipality_number")
    )
    new_observations = []
    for row in parsed.observations:
        alumnus = alumni[(row.program, row.person)]
        signature = (alumnus.pk, row.observed_on, row.municipality)
        if signature in existing:
            continue
        existing.add(signature)
        new_observations.append(
            ResidenceObservation(
                alumnus=alumnus,
                observed_on=row.observed_on,
                municipality_number=row.municipality,
                source=ObservationSource.IMPORT,
            )
        )
    ResidenceObservation.objects.bulk_create(new_observations, batch_size=2000)
    return ImportResult(
        rows=parsed.rows,
        alumni_created=len(new_alumni),
        alumni_updated=updated,
        cohorts_created=cohorts_created,
        observations_created=len(new_observations),
    )
