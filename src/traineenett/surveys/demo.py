"""Survey waves for the demo programmes, with invitations, a few answers and one live link.

Waves are kept open 300 days in the demo (the default is 90) so that a wave is open on
most days of the year the demo is loaded. Answers in Trainee Innlandet are given only
by alumni whose latest residence observation lies after the wave's opening day: that
observation is closer to every horizon's target date than today's answer, so the
follow-up figures (50 % resident after three years) stay exactly as the follow-up demo
made them. Trainee Helgeland's alumni answer freely.
"""

from __future__ import annotations

import random

from django.db.models import Max
from django.utils import timezone

from traineenett.core.demo import Login
from traineenett.core.models import Program
from traineenett.followup.models import ResidenceObservation
from traineenett.surveys import services
from traineenett.surveys.models import Invitation, Wave

DEMO_OPEN_DAYS = 300
EMPLOYERS = ["Mjøskraft AS", "Sykehuset Mjøsa HF", "Helgeland Kraft AS", "Nordlandsbanken ASA"]


def seed(innlandet: Program, helgeland: Program) -> list[Login]:
    rng = random.Random(2011)  # noqa: S311 — deterministic demo data, not security
    today = timezone.localdate()
    link: Login | None = None
    for program in (innlandet, helgeland):
        services.survey_settings_update(program=program, data={"wave_open_days": DEMO_OPEN_DAYS})
        services.waves_sync(program)
        open_waves = Wave.objects.filter(
            program=program, opens_on__lte=today, closes_on__gte=today
        ).order_by("opens_on")
        for wave in open_waves:
            services.wave_invite(wave=wave, deliver=False)
            invitations = list(
                Invitation.objects.filter(wave=wave).select_related("alumnus").order_by("pk")
            )
            if not invitations:
                continue
            # The first invitation stays unanswered: its link is the demo's live link.
            if link is None:
                link = Login(
                    program.slug,
                    "Alumnus survey link (no log-in)",
                    services.survey_link(invitations[0]),
                )
            _answer(program is innlandet, wave, invitations[1:], rng, share=0.6)
    return [link] if link is not None else []


def _answer(
    keep_figures: bool, wave: Wave, invitations: list[Invitation], rng: random.Random, share: float
) -> None:
    catchment = sorted(wave.program.catchment.values_list("number", flat=True))
    latest = dict(
        ResidenceObservation.objects.filter(alumnus__in=[i.alumnus_id for i in invitations])
        .values("alumnus_id")
        .annotate(last=Max("observed_on"))
        .values_list("alumnus_id", "last")
    )
    numbers = dict(
        ResidenceObservation.objects.filter(alumnus__in=[i.alumnus_id for i in invitations])
        .order_by("observed_on", "pk")
        .values_list("alumnus_id", "municipality_number")
    )  # later rows win: the latest observation's number
    for invitation in invitations:
        if rng.random() > share:
            continue
        last = latest.get(invitation.alumnus_id)
        if keep_figures:
            if last is None or last < wave.opens_on:
                continue
            # Observed after the wave opened, so the number is a current one.
            municipality = numbers[invitation.alumnus_id]
        else:
            municipality = rng.choice([*catchment, "0301", "5001"])
        employer = rng.choice([*EMPLOYERS, ""])
        services.survey_answer_submit(
            invitation=invitation,
            municipality=municipality,
            employer_name=employer,
            relevant_to_education=rng.choice([True, True, False]) if employer else None,
            programme_mattered=rng.randint(2, 5),
        )
