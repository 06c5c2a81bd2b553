"""The solver's sentences: one registry, rendered in English, recognised, and translated."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.conftest import World
from tests.test_rotation_solver import check_data, host, instance, trainee
from traineenett.rotation import sentence_words, sentences
from traineenett.rotation.building import host_id, trainee_id
from traineenett.rotation.solver import check, solve

# Parameters for every registry key, as parse() gives them back; a key may have
# several (singular and plural wording, lists of one and of more items).
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "check.not_a_trainee": [{"trainee": "t9"}],
    "check.not_a_period": [{"trainee": "t1", "period": "P7"}],
    "check.not_a_host": [{"trainee": "t1", "host": "h9", "period": "P3"}],
    "check.no_host": [{"trainee": "t2", "period": "P2"}],
    "check.forbidden": [{"trainee": "t1", "host": "h2", "period": "P1"}],
    "check.pin_broken": [{"trainee": "t1", "pinned": "h1", "period": "P1", "host": "h2"}],
    "check.meets_twice": [{"trainee": "t1", "host": "h2", "periods": ["P1", "P2"]}],
    "check.meets_times": [
        {"trainee": "t1", "host": "h2", "times": 3, "periods": ["P1", "P2", "P3"]}
    ],
    "check.sectors": [
        {"trainee": "t1", "spanned": 1, "required": 2},
        {"trainee": "t1", "spanned": 2, "required": 3},
    ],
    "check.over_capacity_none": [
        {"host": "h2", "trainees": 1, "period": "P1"},
        {"host": "h2", "trainees": 2, "period": "P1"},
    ],
    "check.over_capacity": [
        {"host": "h2", "trainees": 2, "period": "P1", "places": 1},
        {"host": "h2", "trainees": 4, "period": "P1", "places": 3},
    ],
    "check.district": [
        {
            "district": 2,
            "slots": 6,
            "share": "33.3333 %",
            "required_share": "50 %",
            "required": 3,
        }
    ],
    "precheck.period_places": [
        {"period": "P2", "trainees": 17, "places": 15},
        {"period": "P2", "trainees": 2, "places": 1},
    ],
    "precheck.pin_forbidden": [{"trainee": "t1", "host": "h1", "period": "P1"}],
    "precheck.pin_repeat": [{"trainee": "t07", "host": "h3", "periods": ["P1", "P2"]}],
    "precheck.pins_no_places": [
        {"host": "h2", "period": "P1", "trainees": ["t3"]},
        {"host": "h2", "period": "P1", "trainees": ["t3", "t4", "t5"]},
    ],
    "precheck.pins_over_places": [
        {"host": "h1", "places": 1, "period": "P1", "pinned": 2, "trainees": ["t1", "t2"]},
        {
            "host": "h1",
            "places": 2,
            "period": "P1",
            "pinned": 3,
            "trainees": ["t1", "t2", "t3"],
        },
    ],
    "precheck.no_allowed_host": [
        {"trainee": "t1", "periods": ["P2"]},
        {"trainee": "t1", "periods": ["P1", "P2"]},
    ],
    "precheck.too_few_hosts": [
        {"trainee": "t1", "periods": ["P1", "P2"], "hosts": ["h1"]},
        {"trainee": "t1", "periods": ["P1", "P2", "P3"], "hosts": ["h1", "h2"]},
    ],
    "precheck.sector_span": [
        {
            "trainee": "t12",
            "options": [
                (
                    "part.sector_option_pinned",
                    {"sectors": ["private"], "period": "P1", "host": "h3"},
                ),
                (
                    "part.sector_option",
                    {"sectors": ["care", "private", "public"], "period": "P2"},
                ),
                ("part.sector_option", {"sectors": ["private", "public"], "period": "P3"}),
            ],
            "required": 2,
        },
        {
            "trainee": "t12",
            "options": [("part.sector_option", {"sectors": ["private"], "period": "P1"})],
            "required": 1,
        },
    ],
    "part.sector_option": [{"sectors": ["private", "public"], "period": "P1"}],
    "part.sector_option_pinned": [{"sectors": ["private"], "period": "P1", "host": "h3"}],
    "precheck.district": [{"share": "75 %", "slots": 4, "required": 3, "reachable": 2}],
    "explain.core": [
        {
            "rules": [
                ("group.district", {"share": "50 %", "required": 3}),
                ("group.capacity", {"host": "h1", "places": 1, "period": "P2"}),
                ("group.capacity_none", {"host": "h3", "period": "P2"}),
                (
                    "group.pins",
                    {
                        "trainee": "t1",
                        "pins": [
                            ("part.pin", {"host": "h2", "period": "P1"}),
                            ("part.pin", {"host": "h4", "period": "P3"}),
                        ],
                    },
                ),
                ("group.forbidden", {"hosts": ["h5", "h6"], "trainee": "t1"}),
                ("group.distinct", {"trainee": "t2"}),
                ("group.sectors", {"trainee": "t2", "required": 2}),
            ]
        }
    ],
    "explain.no_core": [{}],
    "group.capacity_none": [{"host": "h3", "period": "P2"}],
    "group.capacity": [
        {"host": "h1", "places": 1, "period": "P2"},
        {"host": "h1", "places": 2, "period": "P2"},
    ],
    "group.distinct": [{"trainee": "t2"}],
    "group.sectors": [{"trainee": "t2", "required": 1}, {"trainee": "t2", "required": 2}],
    "group.pins": [
        {"trainee": "t1", "pins": [("part.pin", {"host": "h2", "period": "P1"})]},
    ],
    "part.pin": [{"host": "h2", "period": "P1"}],
    "group.forbidden": [
        {"hosts": ["h5"], "trainee": "t1"},
        {"hosts": ["h5", "h6", "h7"], "trainee": "t1"},
    ],
    "group.district": [{"share": "50 %", "required": 3}],
    "solve.time_limit": [{"seconds": "0.5"}, {"seconds": "60"}],
}

CASES = [(key, params) for key, samples in SAMPLES.items() for params in samples]


def test_every_registry_key_has_samples_and_translatable_words() -> None:
    assert set(SAMPLES) == set(sentences.REGISTRY)
    assert set(sentence_words.WORDS) == set(sentences.REGISTRY)


@pytest.mark.parametrize(("key", "params"), CASES)
def test_a_rendered_sentence_parses_back_to_its_key_and_params(
    key: str, params: dict[str, Any]
) -> None:
    text = sentences.render(key, **params)
    if sentences.REGISTRY[key].part:
        # Parts only appear inside another sentence.
        assert sentences._parse_as(key, text) == params
    else:
        assert sentences.parse(text) == (key, params)


@pytest.mark.parametrize(("key", "params"), CASES)
def test_the_english_words_are_the_solvers_sentences(key: str, params: dict[str, Any]) -> None:
    # The msgids carry the same placeholders and wording as the registry; only
    # "1 places" reads "1 place" on the pages.
    english = sentences.render(key, **params)
    if key == "precheck.period_places" and params["places"] == 1:
        english = english.replace("1 places", "1 place")
    with translation.override("en"):
        assert sentence_words.words(key, params, {}) == english


def test_lists_come_back_as_lists_and_counts_as_ints() -> None:
    text = "t1 needs a different host in each of P1, P2 and P3, but only h1 and h2 are open to t1 there"
    assert sentences.parse(text) == (
        "precheck.too_few_hosts",
        {"trainee": "t1", "periods": ["P1", "P2", "P3"], "hosts": ["h1", "h2"]},
    )
    assert sentences.parse("period P2: 17 trainees but 15 places") == (
        "precheck.period_places",
        {"period": "P2", "trainees": 17, "places": 15},
    )


def test_a_sentence_with_the_wrong_number_or_unknown_wording_does_not_parse() -> None:
    assert (
        sentences.parse("h1 has 1 places in P2 but 2 trainees are pinned there (t1 and t2)") is None
    )
    assert sentences.parse("Only a solved draft plan can be edited.") is None
    assert sentences.parse("these rules cannot all hold: the moon is made of cheese") is None


# --------------------------------------------------------------------------- the solver


INFEASIBLE = [
    instance(["P1", "P2"], [host("h1", capacity=(2, 1))], [trainee("t1"), trainee("t2")]),
    instance(
        ["P1"],
        [host("h1", capacity=(1,)), host("h2", capacity=(0,)), host("h3", capacity=(3,))],
        [
            trainee("t1", pinned={"P1": "h1"}, forbidden=["h1"]),
            trainee("t2", pinned={"P1": "h1"}),
            trainee("t3", pinned={"P1": "h2"}),
        ],
    ),
    instance(
        ["P1", "P2", "P3"],
        [host("h3", capacity=(1, 1, 1)), host("h4", capacity=(1, 1, 1))],
        [trainee("t07", pinned={"P1": "h3", "P2": "h3"})],
        distinct_hosts=True,
    ),
    instance(
        ["P1", "P2", "P3"],
        [host(f"h{n}", capacity=(1, 1, 1)) for n in (1, 2, 3)],
        [trainee("t1", forbidden=["h3"])],
        distinct_hosts=True,
    ),
    instance(
        ["P1", "P2"],
        [host("h1", capacity=(1, 0)), host("h2", capacity=(1, 2))],
        [trainee("t1", forbidden=["h2"]), trainee("t2")],
    ),
    instance(
        ["P1", "P2", "P3"],
        [
            host("h3", "private", (1, 1, 1)),
            host("h4", "private", (0, 0, 1)),
            host("h5", "public", (1, 1, 0)),
        ],
        [trainee("t12", pinned={"P1": "h3", "P2": "h3"}), trainee("t13")],
        min_sectors=2,
    ),
    instance(
        ["P1", "P2"],
        [host("h1", capacity=(2, 2)), host("h2", capacity=(1, 1), district=True)],
        [trainee("t1"), trainee("t2")],
        min_district_share=0.75,
    ),
    # Only search finds this clash: the explanation names rule groups.
    instance(
        ["P1", "P2"],
        [
            host("h1", "public", (0, 1)),
            host("h2", "private", (2, 2)),
            host("h3", "public", (1, 0)),
        ],
        [
            trainee("t1", pinned={"P1": "h2"}, forbidden=["h3"]),
            trainee("t2", pinned={"P1": "h2"}),
        ],
        min_sectors=2,
    ),
]


@pytest.mark.parametrize("data", INFEASIBLE)
def test_every_conflict_the_solver_explains_parses(data: dict[str, Any]) -> None:
    plan = solve(data, time_limit=20)
    assert plan["status"] == "infeasible" and plan["conflicts"]
    for conflict in plan["conflicts"]:
        found = sentences.parse(conflict)
        assert found is not None, conflict
        assert sentences.render(found[0], **found[1]) == conflict


def test_every_problem_check_names_parses() -> None:
    broken = [
        (
            check_data(distinct_hosts=True, min_sectors=2, min_district_share=0.5),
            {
                "t1": {"P1": "h2", "P2": "h2", "P3": "h2"},
                "t2": {"P1": "h2", "P3": "h9", "P7": "h1"},
                "t9": {"P1": "h1"},
            },
        ),
        (
            check_data(min_district_share=0.5),
            {
                "t1": {"P1": "h1", "P2": "h3", "P3": "h1"},
                "t2": {"P1": "h2", "P2": "h2", "P3": "h3"},
            },
        ),
    ]
    problems = [problem for data, assignment in broken for problem in check(data, assignment)]
    assert len(problems) >= 8
    keys = set()
    for problem in problems:
        found = sentences.parse(problem)
        assert found is not None, problem
        keys.add(found[0])
    assert {"check.meets_times", "check.over_capacity", "check.district"} <= keys


# --------------------------------------------------------------------------- the pages


def named_instance(w: World) -> dict[str, Any]:
    return {
        "periods": ["P1", "P2"],
        "hosts": [{"id": host_id(w.organisation_a.pk)}, {"id": host_id(w.organisation_b.pk)}],
        "trainees": [{"id": trainee_id(w.trainee.pk)}],
    }


def test_sentences_are_shown_in_norwegian_with_names(world: World) -> None:
    w = world
    t, a, b = trainee_id(w.trainee.pk), host_id(w.organisation_a.pk), host_id(w.organisation_b.pk)
    texts = [
        sentences.render("precheck.period_places", period="P2", trainees=17, places=15),
        sentences.render("precheck.pin_repeat", trainee=t, host=a, periods=["P1", "P2"]),
        sentences.render(
            "explain.core",
            rules=[
                ("group.capacity", {"host": a, "places": 1, "period": "P2"}),
                ("group.forbidden", {"hosts": [a, b], "trainee": t}),
            ],
        ),
        sentences.render(
            "precheck.sector_span",
            trainee=t,
            options=[
                ("part.sector_option", {"sectors": ["private", "public"], "period": "P1"}),
                ("part.sector_option_pinned", {"sectors": ["private"], "period": "P2", "host": a}),
            ],
            required=2,
        ),
        f"an older wording about {t}",
    ]
    with translation.override("nb"):
        shown = sentence_words.translated(texts, named_instance(w))
    assert shown == [
        "periode P2: 17 traineer, men 15 plasser",
        "Ingrid Haugen er låst til Mjøskraft AS i P1 og P2, men vertene må være forskjellige",
        "disse reglene kan ikke gjelde samtidig: Mjøskraft AS har 1 plass i P2; "
        "Mjøskraft AS og Opplandsbanken ASA er utelukket for Ingrid Haugen",
        "Ingrid Haugen kan bare plasseres hos verter i sektoren private eller public i P1 og "
        "verter i sektoren private i P2 (låst til Mjøskraft AS), så vertene til Ingrid Haugen "
        "kan ikke dekke 2 sektorer",
        "an older wording about Ingrid Haugen",
    ]


def test_sentences_are_shown_in_english_with_names(world: World) -> None:
    w = world
    t, a = trainee_id(w.trainee.pk), host_id(w.organisation_a.pk)
    texts = [
        sentences.render("check.forbidden", trainee=t, host=a, period="P1"),
        sentences.render("precheck.pins_no_places", host=a, period="P1", trainees=[t]),
    ]
    with translation.override("en"):
        shown = sentence_words.translated(texts, named_instance(w))
    assert shown == [
        "Ingrid Haugen is placed with Mjøskraft AS in P1, which is forbidden for Ingrid Haugen",
        "Mjøskraft AS has no places in P1 but Ingrid Haugen is pinned there",
    ]
    assert sentence_words.translated([], named_instance(w)) == []
