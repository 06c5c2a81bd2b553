"""The utility formula and the instance builder, in plain Python (no Django imports).

The Django side (``building.py``) reads the cohort and calls :func:`build_instance`;
everything that decides a number in the instance lives here so it can be tested alone.

Utility of trainee *t* at host *h* (one number per pair, counted once per period)::

    utility = w_wish · wish_score(rank of h among t's wishes)
            + w_rating · (h's rating of t, 1–5; 0 when not rated)
            + w_fit · (1 if t's discipline is among h's needed disciplines, else 0)
            − w_travel · (distance in km from t's home municipality to h's municipality / 10)

rounded to the nearest integer (halves away from zero). wish_score: rank 1 → 10,
rank 2 → 7, rank 3 → 4, not wished → 0. The distance is the great-circle (haversine)
distance between the municipalities' centroids; an unknown home municipality counts as 0 km.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

EARTH_RADIUS_KM = 6371.0088
WISH_SCORES = {1: 10, 2: 7, 3: 4}


def wish_score(rank: int | None) -> int:
    return WISH_SCORES.get(rank, 0) if rank is not None else 0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def round_half_away(value: float) -> int:
    return math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)


@dataclass(frozen=True)
class Weights:
    wish: int = 3
    rating: int = 2
    fit: int = 5
    travel: int = 1


def utility(
    weights: Weights,
    *,
    wish_rank: int | None,
    rating: int | None,
    fits: bool,
    distance_km: float,
) -> int:
    """One trainee's utility at one host, by the documented formula."""
    value = (
        weights.wish * wish_score(wish_rank)
        + weights.rating * (rating or 0)
        + weights.fit * (1 if fits else 0)
        - weights.travel * distance_km / 10
    )
    return round_half_away(value)


@dataclass
class HostInput:
    id: str
    sector: str
    municipality: str
    capacity: list[int]
    disciplines: frozenset[str] = frozenset()  # lower-cased
    centroid: tuple[float, float] | None = None
    district: bool = False
    ratings: dict[str, int] = field(default_factory=dict)  # trainee id → 1..5


@dataclass
class TraineeInput:
    id: str
    municipality: str
    discipline: str
    centroid: tuple[float, float] | None = None
    wishes: dict[str, int] = field(default_factory=dict)  # host id → rank
    pinned: dict[str, str] = field(default_factory=dict)  # period → host id
    forbidden: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)  # period → host id


def distance_between(trainee: TraineeInput, host: HostInput) -> float:
    if trainee.centroid is None or host.centroid is None:
        return 0.0
    return haversine_km(*trainee.centroid, *host.centroid)


def build_instance(
    *,
    periods: list[str],
    hosts: list[HostInput],
    trainees: list[TraineeInput],
    weights: Weights,
    rules: dict[str, Any],
) -> dict[str, Any]:
    """The solver instance (the public JSON contract) for these hosts and trainees."""
    host_ids = {host.id for host in hosts}
    instance_hosts = []
    for host in hosts:
        entry: dict[str, Any] = {
            "id": host.id,
            "sector": host.sector,
            "municipality": host.municipality,
            "capacity": list(host.capacity),
        }
        if host.district:
            entry["district"] = True
        if host.ratings:
            entry["ratings"] = dict(sorted(host.ratings.items()))
        instance_hosts.append(entry)
    instance_trainees = []
    for trainee in trainees:
        utilities = {
            host.id: utility(
                weights,
                wish_rank=trainee.wishes.get(host.id),
                rating=host.ratings.get(trainee.id),
                fits=trainee.discipline.strip().lower() in host.disciplines,
                distance_km=distance_between(trainee, host),
            )
            for host in hosts
        }
        entry = {
            "id": trainee.id,
            "municipality": trainee.municipality,
            "discipline": trainee.discipline,
            "utility": utilities,
        }
        pinned = {p: h for p, h in trainee.pinned.items() if p in periods and h in host_ids}
        if pinned:
            entry["pinned"] = pinned
        forbidden = sorted({h for h in trainee.forbidden if h in host_ids})
        if forbidden:
            entry["forbidden"] = forbidden
        previous = {p: h for p, h in trainee.previous.items() if p in periods and h in host_ids}
        if previous:
            entry["previous"] = previous
        instance_trainees.append(entry)
    return {
        "periods": list(periods),
        "hosts": instance_hosts,
        "trainees": instance_trainees,
        "rules": dict(rules),
    }
