"""Objects for the survey tests, made lazily from the shared World (and elsewhere)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import CohortFactory
from traineenett.cohorts.models import Cohort
from traineenett.core.models import Program
from traineenett.followup.models import Alumnus
from traineenett.surveys import services
from traineenett.surveys.models import Invitation, Wave


class AlumnusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alumnus

    cohort = factory.SubFactory(CohortFactory)
    program = factory.SelfAttribute("cohort.program")
    person = factory.Sequence(lambda n: f"p-{n:04d}")
    program_end = factory.SelfAttribute("cohort.ends_on")
    email = factory.Sequence(lambda n: f"alumnus{n}@example.org")


def finished_cohort(program: Program, *, ended_on: date, label: str | None = None) -> Cohort:
    """A cohort of ``program`` that ended on ``ended_on`` (about two years after its start)."""
    return CohortFactory(
        program=program,
        label=label or f"Kull {ended_on.year - 2} ({ended_on:%d%m})",
        starts_on=ended_on - timedelta(days=730),
        ends_on=ended_on,
        common_salary=Decimal("500000"),
    )


def open_wave(program: Program, *, ended_days_ago: int = 10) -> Wave:
    """The end-of-programme wave of a cohort that ended a few days ago: open today."""
    ended_on = timezone.localdate() - timedelta(days=ended_days_ago)
    cohort = Cohort.objects.filter(program=program, ends_on=ended_on).first()
    cohort = cohort or finished_cohort(program, ended_on=ended_on)
    services.waves_sync(program)
    return Wave.objects.get(cohort=cohort, horizon_years=0)


def invite(wave: Wave, alumni_count: int = 1) -> dict[int, str]:
    """Give ``alumni_count`` new alumni of the wave's cohort a link: {invitation pk: token}."""
    AlumnusFactory.create_batch(alumni_count, cohort=wave.cohort)
    services.wave_invite(wave=wave, deliver=False)
    return {
        invitation.pk: services.invitation_token(invitation)
        for invitation in Invitation.objects.filter(wave=wave).order_by("pk")
    }


def a_live_token(program: Program) -> str:
    """One working survey link token of ``program`` (made on first use)."""
    wave = open_wave(program)
    invitation = Invitation.objects.filter(wave=wave, answered_at__isnull=True).first()
    if invitation is None:
        return next(iter(invite(wave).values()))
    return services.invitation_token(invitation)


def a_wave(program: Program) -> Wave:
    return open_wave(program)
