"""Survey waves, personal links, reminders, opt-out and the answer page (issue 5, item 2)."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory
from tests.factories_surveys import AlumnusFactory, finished_cohort, invite, open_wave
from tests.helpers import queries_for
from traineenett.core.models import AuditEntry
from traineenett.followup.models import EmploymentObservation, ResidenceObservation
from traineenett.surveys import services
from traineenett.surveys.models import Answer, Invitation, OptOut, SurveySettings, Wave

LINK = re.compile(r"https?://\S+/survey/([0-9a-f]{64})/")


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def answer_url(token: str) -> str:
    return reverse("survey_answer", kwargs={"token": token})


GOOD_ANSWER = {
    "municipality": "3403 Hamar",
    "employer_name": "Mjøskraft AS",
    "organisation_number": "",
    "relevant_to_education": "yes",
    "programme_mattered": "4",
    "email": "",
}


# ------------------------------------------------------------------------------- waves


def test_waves_are_created_for_every_cohort_and_horizon_once(world: World) -> None:
    finished = finished_cohort(world.program, ended_on=date(2024, 8, 14), label="Kull 2022")
    created = services.waves_sync(world.program)
    assert created == 8  # two cohorts (Kull 2025 and Kull 2022) × horizons 0, 1, 2, 3
    waves = {
        w.horizon_years: (w.opens_on, w.closes_on) for w in Wave.objects.filter(cohort=finished)
    }
    assert waves == {
        0: (date(2024, 8, 14), date(2024, 11, 11)),
        1: (date(2025, 8, 14), date(2025, 11, 11)),
        2: (date(2026, 8, 14), date(2026, 11, 11)),
        3: (date(2027, 8, 14), date(2027, 11, 11)),
    }
    assert services.waves_sync(world.program) == 0
    assert Wave.objects.filter(program=world.program).count() == 8
    assert not Wave.objects.filter(program=world.other_program).exists()
    assert AuditEntry.objects.filter(action="surveys.waves.created").count() == 1


def test_a_cohort_ending_29_february_gets_its_anniversaries_on_28_february(world: World) -> None:
    cohort = finished_cohort(world.program, ended_on=date(2024, 2, 29), label="Kull leap")
    services.waves_sync(world.program)
    opens = dict(Wave.objects.filter(cohort=cohort).values_list("horizon_years", "opens_on"))
    assert opens == {
        0: date(2024, 2, 29),
        1: date(2025, 2, 28),
        2: date(2026, 2, 28),
        3: date(2027, 2, 28),
    }


def test_configured_horizons_add_waves_and_keep_the_existing_ones(world: World) -> None:
    services.waves_sync(world.program)
    before = dict(
        Wave.objects.filter(cohort=world.cohort).values_list("horizon_years", "closes_on")
    )
    services.survey_settings_update(
        program=world.program,
        data={"horizons": "0, 1, 5", "wave_open_days": 30, "link_valid_days": 20},
    )
    assert services.waves_sync(world.program) == 1
    after = dict(Wave.objects.filter(cohort=world.cohort).values_list("horizon_years", "closes_on"))
    assert set(after) == {0, 1, 2, 3, 5}
    assert after[5] == date(2032, 8, 14) + timedelta(days=29)
    assert {h: after[h] for h in before} == before  # existing waves keep their dates


def test_bad_settings_are_refused_with_the_field_named(world: World, english: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.survey_settings_update(
            program=world.program,
            data={"horizons": "0,1,x", "reminder_days": "7,0", "wave_open_days": 400},
        )
    messages = error.value.message_dict
    assert messages["horizons"] == ["“x” is not a number of years between 0 and 10."]
    assert messages["reminder_days"] == ["“0” is not a number of days between 1 and 365."]
    assert "wave_open_days" in messages
    assert services.survey_settings_of(world.program).horizons == "0,1,2,3"


def test_the_survey_waves_command_is_idempotent(world: World) -> None:
    out = io.StringIO()
    call_command("survey_waves", stdout=out)
    assert "8 survey wave(s) created" in out.getvalue()  # 4 here, 4 in the other programme
    out = io.StringIO()
    call_command("survey_waves", "--program", world.program.slug, stdout=out)
    assert "0 survey wave(s) created" in out.getvalue()
    with pytest.raises(Exception, match="unknown programme: nope"):
        call_command("survey_waves", "--program", "nope")


# ------------------------------------------------------------------------- invitations


def test_invitations_mail_a_personal_link_and_store_only_its_hash(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = open_wave(world.program)
    alumni = AlumnusFactory.create_batch(2, cohort=wave.cohort)
    AlumnusFactory(cohort=wave.cohort, email="")  # no address: cannot be invited
    with django_capture_on_commit_callbacks(execute=True):
        count = services.wave_invite(wave=wave, link_builder=lambda p: "https://tn.example" + p)
    assert count == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in alumni)
    for message in mail.outbox:
        token = LINK.search(message.body).group(1)
        assert message.body.count(f"https://tn.example/survey/{token}/") == 2  # + opt-out
        invitation = Invitation.objects.get(email=message.to[0])
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = [
            str(v) for v in Invitation.objects.filter(pk=invitation.pk).values().get().values()
        ]
        assert token not in stored
        assert services.invitation_by_token(token) == invitation
    # Once per alumnus and wave: a second run invites nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wave_invite(wave=wave) == 0
    assert len(mail.outbox) == 2


def test_invitations_go_out_only_while_the_wave_is_open(world: World, english: Any) -> None:
    services.waves_sync(world.program)
    future = Wave.objects.get(cohort=world.cohort, horizon_years=0)  # opens 14.08.2027
    AlumnusFactory(cohort=world.cohort)
    with pytest.raises(ValidationError, match=r"open from 14\.08\.2027"):
        services.wave_invite(wave=future)
    assert not Invitation.objects.exists()


def test_a_link_expires_after_its_days_and_never_outlives_the_wave(world: World) -> None:
    wave = open_wave(world.program)
    services.survey_settings_update(program=world.program, data={"link_valid_days": 5})
    now = timezone.now()
    token = next(iter(invite(wave).values()))
    invitation = Invitation.objects.get()
    assert invitation.expires_at == pytest.approx(now + timedelta(days=5), abs=timedelta(minutes=1))
    assert services.invitation_by_token(token, now=now + timedelta(days=4)) is not None
    assert services.invitation_by_token(token, now=now + timedelta(days=5, minutes=1)) is None

    services.survey_settings_update(program=world.program, data={"link_valid_days": 300})
    AlumnusFactory(cohort=wave.cohort)
    services.wave_invite(wave=wave)
    late = Invitation.objects.latest("pk")
    closing = timezone.make_aware(datetime.combine(wave.closes_on + timedelta(days=1), time.min))
    assert late.expires_at == closing


def test_a_wrong_or_expired_link_gives_a_plain_page(world: World, client: Client) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    for bad in ("nonsense", "0" * 64, token[:-1] + ("0" if token[-1] != "0" else "1")):
        response = client.get(answer_url(bad))
        assert response.status_code == 404
        assert "surveys/link_invalid.html" in [t.name for t in response.templates]
        assert b"Traceback" not in response.content
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(answer_url(token))
    assert response.status_code == 404
    assert "surveys/link_invalid.html" in [t.name for t in response.templates]


def test_a_used_link_shows_thanks_while_open_and_is_invalid_after_closing(
    world: World, client: Client
) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    assert client.post(answer_url(token), GOOD_ANSWER).status_code == 302
    response = client.get(answer_url(token))
    assert response.status_code == 200
    assert "surveys/answer_done.html" in [t.name for t in response.templates]
    # Posting again changes nothing.
    client.post(answer_url(token), GOOD_ANSWER | {"municipality": "0301 Oslo"})
    assert Answer.objects.get().municipality_number == "3403"
    assert ResidenceObservation.objects.count() == 1

    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    response = client.get(answer_url(token))
    assert response.status_code == 404
    assert "surveys/link_invalid.html" in [t.name for t in response.templates]


def test_a_reminder_repeats_the_same_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = open_wave(world.program)
    AlumnusFactory(cohort=wave.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_invite(wave=wave)
        services.wave_remind(wave=wave, due_only=False)
    first, reminder = (LINK.search(m.body).group(1) for m in mail.outbox)
    assert first == reminder


# --------------------------------------------------------------------------- reminders


def test_reminders_go_only_to_those_who_have_not_answered_and_follow_the_schedule(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = open_wave(world.program, ended_days_ago=30)
    services.survey_settings_update(program=world.program, data={"link_valid_days": 60})
    invited_on = wave.opens_on
    AlumnusFactory.create_batch(3, cohort=wave.cohort)
    services.wave_invite(wave=wave, now=at(invited_on), deliver=False)
    answered, opted, waiting = Invitation.objects.order_by("pk")
    services.survey_answer_submit(
        invitation=answered, municipality="3403", now=at(invited_on + timedelta(days=1))
    )
    services.survey_opt_out(invitation=opted)

    def remind(day: int, **kwargs: Any) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.wave_remind(
                wave=wave, now=at(invited_on + timedelta(days=day)), **kwargs
            )

    assert remind(6) == 0  # schedule "7,21"
    assert remind(7) == 1
    assert remind(8) == 0
    assert remind(21) == 1
    assert remind(25) == 0  # the schedule is used up
    assert [m.to[0] for m in mail.outbox] == [waiting.email, waiting.email]
    assert "Påminnelse" in mail.outbox[0].subject  # alumni are written to in Bokmål
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 2
    # The coordinator's button reminds everyone still awaited, schedule or not.
    assert remind(26, due_only=False) == 1
    assert mail.outbox[-1].to == [waiting.email]


def test_the_send_command_invites_and_reminds_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = open_wave(world.program)
    AlumnusFactory.create_batch(2, cohort=wave.cohort)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("survey_send", "--base-url", "https://tn.example/", stdout=out)
    assert "2 invitation(s) and 0 reminder(s) sent" in out.getvalue()
    assert all("https://tn.example/survey/" in m.body for m in mail.outbox)
    assert len(mail.outbox) == 2
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("survey_send", stdout=out)
    assert "0 wave(s) created, 0 invitation(s) and 0 reminder(s) sent" in out.getvalue()
    assert len(mail.outbox) == 2


# ----------------------------------------------------------------------------- opt-out


def test_opting_out_is_one_click_and_is_never_invited_again(world: World, client: Client) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    page = client.get(answer_url(token))
    opt_out_url = reverse("survey_opt_out", kwargs={"token": token})
    assert f'action="{opt_out_url}"' in page.content.decode()
    response = client.post(opt_out_url)
    assert response.status_code == 302
    alumnus = Invitation.objects.get().alumnus
    assert OptOut.objects.filter(alumnus=alumnus).exists()
    response = client.get(answer_url(token))
    assert "surveys/opted_out.html" in [t.name for t in response.templates]
    assert client.post(answer_url(token), GOOD_ANSWER).status_code == 200
    assert not Answer.objects.exists()

    # The next wave of the same cohort skips them.
    next_wave = Wave.objects.get(cohort=wave.cohort, horizon_years=1)
    Wave.objects.filter(pk=next_wave.pk).update(
        opens_on=timezone.localdate(), closes_on=timezone.localdate() + timedelta(days=30)
    )
    next_wave.refresh_from_db()
    assert services.wave_invite(wave=next_wave, deliver=False) == 0


# -------------------------------------------------------------------------- the answer


def test_an_answer_writes_observations_and_stores_the_panel_id(
    world: World, client: Client
) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    invitation = Invitation.objects.get()
    alumnus = invitation.alumnus
    page = client.get(answer_url(token))
    html = page.content.decode()
    datalist = re.search(r'<datalist id="municipality-options">(.*?)</datalist>', html).group(1)
    assert datalist.count("<option value=") == 357  # the current municipalities to pick from
    assert '<option value="3403 Hamar">' in datalist
    assert 'list="municipality-options"' in html
    assert 'name="email"' in html and alumnus.email in html

    member_number = world.organisation_a.organisation_number
    response = client.post(
        answer_url(token),
        GOOD_ANSWER
        | {
            "municipality": "hamar",
            "organisation_number": f"{member_number[:3]} {member_number[3:6]} {member_number[6:]}",
            "email": "New.Address@Example.org",
        },
    )
    assert response.status_code == 302
    residence = ResidenceObservation.objects.get(alumnus=alumnus)
    assert (residence.municipality_number, residence.source) == ("3403", "survey")
    assert residence.observed_on == timezone.localdate()
    employment = EmploymentObservation.objects.get(alumnus=alumnus)
    assert (employment.employer_name, employment.organisation_number) == (
        "Mjøskraft AS",
        member_number,
    )
    assert employment.employer_is_member is True
    assert employment.relevant_to_education is True
    assert employment.source == "survey"
    answer = Answer.objects.get()
    assert answer.panel_id == alumnus.panel_id
    assert answer.programme_mattered == 4
    assert answer.wave == wave
    alumnus.refresh_from_db()
    assert alumnus.email == "new.address@example.org"
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_an_employer_outside_the_programme_and_no_job_at_all(world: World) -> None:
    wave = open_wave(world.program)
    invite(wave, 2)
    with_job, without_job = Invitation.objects.order_by("pk")
    outsider = OrganisationFactory(name="Oslo Konsult AS", municipality_id="0301")
    MembershipFactory(program=world.other_program, organisation=outsider)
    services.survey_answer_submit(
        invitation=with_job,
        municipality="0301",
        employer_name="Oslo Konsult AS",
        organisation_number=outsider.organisation_number,
        relevant_to_education=False,
    )
    services.survey_answer_submit(invitation=without_job, municipality="3405 Lillehammer")
    assert EmploymentObservation.objects.get().employer_is_member is False
    assert EmploymentObservation.objects.get().relevant_to_education is False
    assert ResidenceObservation.objects.count() == 2
    assert Answer.objects.get(invitation=without_job).employer_name == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "municipality",
            "9999 Atlantis",
            "“9999 Atlantis” is not a current Norwegian municipality",
        ),
        (
            "municipality",
            "0402",
            "“0402” is not a current Norwegian municipality",
        ),  # Kongsvinger before 2020
        ("municipality", "3403 Gjøvik", "“3403 Gjøvik” is not a current Norwegian municipality"),
        ("municipality", "", "This field is required."),
        ("organisation_number", "123456789", "123456789 is not a valid organisation number"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    world: World, client: Client, english: Any, field: str, value: str, message: str
) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    client.cookies["django_language"] = "en"
    response = client.post(answer_url(token), GOOD_ANSWER | {field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert form.data[field] == value  # what was typed is kept
    assert not Answer.objects.exists()
    assert not ResidenceObservation.objects.exists()
    assert not EmploymentObservation.objects.exists()
    assert Invitation.objects.get().answered_at is None


def test_the_municipality_error_is_shown_in_norwegian_by_default(
    world: World, client: Client
) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    response = client.post(answer_url(token), GOOD_ANSWER | {"municipality": "Atlantis"})
    assert "«Atlantis» er ikke en norsk kommune i dag" in response.content.decode()


# ------------------------------------------------------------------- coordinator pages


def test_the_wave_overview_creates_waves_and_shows_the_response_rate(
    world: World, coordinator_client: Client
) -> None:
    wave = open_wave(world.program)
    invite(wave, 4)
    services.survey_answer_submit(invitation=Invitation.objects.first(), municipality="3403")
    Wave.objects.filter(cohort=world.cohort).delete()
    response = coordinator_client.get(reverse("surveys:waves", args=[world.program.slug]))
    assert response.status_code == 200
    assert Wave.objects.filter(cohort=world.cohort).count() == 4  # made again on page load
    html = response.content.decode()
    assert "25 %" in html  # 1 of 4 answered
    row = next(w for g in response.context["cohorts"] for w in g.waves if w.pk == wave.pk)
    assert (row.counts.invited, row.counts.answered, row.counts.response_percent) == (4, 1, 25.0)


def test_the_analyst_sees_no_survey_count_under_5(world: World) -> None:
    wave = open_wave(world.program)
    invite(wave, 12)
    for invitation in Invitation.objects.order_by("pk")[:3]:
        services.survey_answer_submit(invitation=invitation, municipality="3403")
    analyst = world.client_for("analyst")
    overview = analyst.get(reverse("surveys:waves", args=[world.program.slug]))
    row = next(w for g in overview.context["cohorts"] for w in g.waves if w.pk == wave.pk)
    # 12 invited may be shown; 3 answered (and so the 25 % rate) may not.
    assert (row.counts.invited, row.counts.answered, row.counts.response_percent) == (
        12,
        None,
        None,
    )
    # A wave nobody is invited to yet has no one to protect: "–", not "<5".
    idle = next(w for g in overview.context["cohorts"] for w in g.waves if not w.counts.invited)
    assert (idle.counts.answered, idle.counts.response_percent) == (0, None)
    detail = analyst.get(reverse("surveys:wave_detail", args=[world.program.slug, idle.pk]))
    figures = re.findall(r'<span class="figure">([^<]*)</span>', detail.content.decode())
    assert figures == ["–", "–", "–", "–"]
    detail = analyst.get(reverse("surveys:wave_detail", args=[world.program.slug, wave.pk]))
    html = detail.content.decode()
    figures = re.findall(r'<span class="figure">([^<]*)</span>', html)
    assert figures == ["12", "&lt;5", "&lt;5", "&lt;5"]
    assert "25 %" not in html and "25 %" not in overview.content.decode()
    # The programme's own board sees every figure.
    board = world.client_for("board")
    detail = board.get(reverse("surveys:wave_detail", args=[world.program.slug, wave.pk]))
    figures = re.findall(r'<span class="figure">([^<]*)</span>', detail.content.decode())
    assert figures == ["12", "3", "25 %", "0"]
    for invitation in Invitation.objects.filter(answered_at__isnull=True).order_by("pk")[:4]:
        services.survey_answer_submit(invitation=invitation, municipality="3403")
    detail = analyst.get(reverse("surveys:wave_detail", args=[world.program.slug, wave.pk]))
    figures = re.findall(r'<span class="figure">([^<]*)</span>', detail.content.decode())
    assert figures == ["12", "7", "58 %", "&lt;5"]  # 7 answered and 5 not: both shown


def test_the_board_sees_rates_but_creates_nothing(world: World) -> None:
    response = world.client_for("board").get(reverse("surveys:waves", args=[world.program.slug]))
    assert response.status_code == 200
    assert not Wave.objects.exists()


def test_the_wave_pages_use_a_fixed_number_of_queries(
    world: World, coordinator_client: Client
) -> None:
    wave = open_wave(world.program)
    invite(wave, 1)
    services.survey_answer_submit(invitation=Invitation.objects.first(), municipality="3403")
    urls = [
        reverse("surveys:waves", args=[world.program.slug]),
        reverse("surveys:wave_detail", args=[world.program.slug, wave.pk]),
        reverse("surveys:wave_answers", args=[world.program.slug, wave.pk]),
    ]
    small = [queries_for(coordinator_client, url) for url in urls]
    for days in range(40, 46):
        open_wave(world.program, ended_days_ago=days)
    invite(wave, 5)
    for invitation in Invitation.objects.filter(answered_at__isnull=True):
        services.survey_answer_submit(invitation=invitation, municipality="3405")
    assert [queries_for(coordinator_client, url) for url in urls] == small


def test_invite_now_and_remind_from_the_wave_page(
    world: World, coordinator_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    wave = open_wave(world.program)
    AlumnusFactory.create_batch(3, cohort=wave.cohort)
    base = reverse("surveys:wave_detail", args=[world.program.slug, wave.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(base + "invite/", follow=True)
    assert "3 invitasjon(er) sendt." in response.content.decode()
    assert len(mail.outbox) == 3
    assert mail.outbox[0].body.count("http://testserver/survey/") == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(base + "remind/", follow=True)
    assert "3 påminnelse(r) sendt." in response.content.decode()
    assert len(mail.outbox) == 6


def test_a_closed_wave_cannot_be_invited_from_the_page(
    world: World, coordinator_client: Client
) -> None:
    services.waves_sync(world.program)
    wave = Wave.objects.get(cohort=world.cohort, horizon_years=0)
    AlumnusFactory(cohort=world.cohort)
    response = coordinator_client.post(
        reverse("surveys:wave_invite", args=[world.program.slug, wave.pk]), follow=True
    )
    assert "14.08.2027" in response.content.decode()
    assert not Invitation.objects.exists()


def test_answers_show_panel_ids_never_addresses(world: World) -> None:
    wave = open_wave(world.program)
    invite(wave, 1)
    invitation = Invitation.objects.get()
    services.survey_answer_submit(invitation=invitation, municipality="0301")
    url = reverse("surveys:wave_answers", args=[world.program.slug, wave.pk])
    html = world.client_for("coordinator").get(url).content.decode()
    assert invitation.alumnus.panel_id in html
    assert invitation.email not in html
    assert "0301 Oslo" in html
    # One row per person is not an aggregate: not for the analyst, nor linked for them.
    assert world.client_for("analyst").get(url).status_code == 403
    detail = reverse("surveys:wave_detail", args=[world.program.slug, wave.pk])
    assert url not in world.client_for("analyst").get(detail).content.decode()
    assert url in world.client_for("coordinator").get(detail).content.decode()


def test_the_settings_page_saves_and_names_bad_fields(
    world: World, coordinator_client: Client
) -> None:
    url = reverse("surveys:settings", args=[world.program.slug])
    response = coordinator_client.post(
        url,
        {"horizons": "0,1,2,x", "wave_open_days": 90, "link_valid_days": 60, "reminder_days": ""},
    )
    assert response.status_code == 200
    assert "«x» er ikke et antall år mellom 0 og 10." in response.content.decode()
    response = coordinator_client.post(
        url,
        {"horizons": "0,3", "wave_open_days": 60, "link_valid_days": 30, "reminder_days": "10"},
    )
    assert response.status_code == 302
    saved = SurveySettings.objects.get(program=world.program)
    assert (saved.horizon_years, saved.wave_open_days, saved.reminder_schedule) == (
        [0, 3],
        60,
        [10],
    )
    assert AuditEntry.objects.filter(action="surveys.settings.updated").exists()


def test_the_commands_answer_to_their_hyphenated_names(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from traineenett.cli import main

    main(["traineenett", "survey-waves", "--program", world.program.slug])
    assert "4 survey wave(s) created." in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["traineenett", "survey-send", "--base-url", "ftp://nope"])
    assert exit_info.value.code == 1
    assert "--base-url must start with http:// or https://" in capsys.readouterr().err


def test_the_demo_seed_makes_waves_links_and_answers_without_moving_the_figures(
    world: World, client: Client
) -> None:
    from traineenett.followup.services import residence_record
    from traineenett.surveys import demo

    today = timezone.localdate()
    wave = open_wave(world.program)
    late, early, none = AlumnusFactory.create_batch(3, cohort=wave.cohort)
    residence_record(late, observed_on=today, municipality_number="3405", source="import")
    residence_record(
        early,
        observed_on=wave.opens_on - timedelta(days=1),
        municipality_number="0301",
        source="import",
    )
    other = open_wave(world.other_program)
    AlumnusFactory.create_batch(6, cohort=other.cohort)

    logins = demo.seed(world.program, world.other_program)

    assert services.survey_settings_of(world.program).wave_open_days == demo.DEMO_OPEN_DAYS
    assert Wave.objects.filter(cohort=world.cohort).count() == 4
    (login,) = logins
    token = LINK.search(login.email).group(1)
    assert client.get(answer_url(token)).status_code == 200
    # Programme A: only the alumnus whose latest observation is after the opening may answer.
    answered = set(
        Answer.objects.filter(program=world.program).values_list("invitation__alumnus", flat=True)
    )
    assert answered <= {late.pk}
    assert not ResidenceObservation.objects.filter(alumnus__in=[early, none], source="survey")
    assert Answer.objects.filter(program=world.other_program).exists()
    # Everyone with an address got a link, answered or not.
    assert Invitation.objects.filter(wave=wave).count() == 3


def test_an_alumnus_who_answered_can_still_opt_out_of_later_waves(
    world: World, client: Client
) -> None:
    wave = open_wave(world.program)
    token = next(iter(invite(wave).values()))
    client.post(answer_url(token), GOOD_ANSWER)
    page = client.get(answer_url(token)).content.decode()
    opt_out_url = reverse("survey_opt_out", kwargs={"token": token})
    assert f'action="{opt_out_url}"' in page
    assert client.post(opt_out_url).status_code == 302
    page = client.get(answer_url(token))
    assert "surveys/answer_done.html" in [t.name for t in page.templates]
    assert page.context["opted_out"] is True
    assert f'action="{opt_out_url}"' not in page.content.decode()
    assert OptOut.objects.filter(alumnus=Invitation.objects.get().alumnus).count() == 1


def test_two_simultaneous_submissions_make_one_answer(transactional_db: None, world: World) -> None:
    """The invitation row is locked while an answer is written (PostgreSQL row locks)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    wave = open_wave(world.program)
    invite(wave)
    invitation = Invitation.objects.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.survey_answer_submit(invitation=invitation, municipality="3403")
            outcomes.append("answered")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("answered") == 1
    assert "Denne runden er allerede besvart med denne lenken." in outcomes
    assert Answer.objects.count() == 1
    assert ResidenceObservation.objects.count() == 1


def test_links_in_e_mails_sent_outside_a_request_use_the_site_url(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://trainee.example.no"
    wave = open_wave(world.program)
    AlumnusFactory(cohort=wave.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_invite(wave=wave)
    assert "https://trainee.example.no/survey/" in mail.outbox[0].body
