"""From a cohort to a solver instance: the Django adapter around ``instance.py``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from traineenett.cohorts.models import Cohort, Placement
from traineenett.rotation.instance import HostInput, TraineeInput, Weights, build_instance
from traineenett.rotation.models import ForbiddenPair, HostOffer, Rating, RotationSettings, Wish

KEEP_STARTED = "started"
KEEP_ALL = "all"
KEEP_NONE = "none"


def host_id(organisation_id: int) -> str:
    return f"h{organisation_id}"


def trainee_id(trainee_pk: int) -> str:
    return f"t{trainee_pk}"


def period_id(number: int) -> str:
    return f"P{number}"


def pk_of(identifier: str) -> int:
    """The database id inside an instance id such as ``t12`` or ``h7``."""
    return int(identifier[1:])


@dataclass(frozen=True)
class BuildOptions:
    objective: str = "total"
    min_sectors: int = 2
    min_district_share: float | None = None
    keep: str = KEEP_STARTED
    excluded: tuple[int, ...] = ()
    time_limit: float = 10.0

    def as_json(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "min_sectors": self.min_sectors,
            "min_district_share": self.min_district_share,
            "keep": self.keep,
            "excluded": list(self.excluded),
            "time_limit": self.time_limit,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildOptions:
        return cls(
            objective=data.get("objective", "total"),
            min_sectors=int(data.get("min_sectors", 2)),
            min_district_share=data.get("min_district_share"),
            keep=data.get("keep", KEEP_STARTED),
            excluded=tuple(data.get("excluded", ())),
            time_limit=float(data.get("time_limit", 10.0)),
        )


@dataclass
class PeriodPlaces:
    label: str
    places: int
    trainees: int

    @property
    def short(self) -> bool:
        return self.places < self.trainees


@dataclass
class BuiltInstance:
    instance: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    periods: list[PeriodPlaces] = field(default_factory=list)
    trainee_count: int = 0
    host_count: int = 0
    wish_count: int = 0
    rating_count: int = 0
    pin_count: int = 0
    forbidden_count: int = 0


def cohort_instance(
    cohort: Cohort,
    settings: RotationSettings,
    options: BuildOptions,
    *,
    today: date,
    previous: dict[str, dict[str, str]] | None = None,
) -> BuiltInstance:
    """Build the instance for ``cohort`` in a fixed number of queries.

    Pins: placements already made are kept (in periods that have begun, in every period,
    or none, by ``options.keep``); otherwise the employer of record is pinned in the first
    period when it has a place there. ``previous`` (trainee id → period → host id) turns
    this into a re-plan with the programme's move penalty.
    """
    warnings: list[str] = []
    periods = list(cohort.periods.order_by("number"))
    labels = [period_id(p.number) for p in periods]
    trainees = list(
        cohort.trainees.exclude(pk__in=options.excluded)
        .select_related("home_municipality", "employer")
        .order_by("last_name", "first_name", "pk")
    )
    offers = list(
        HostOffer.objects.filter(cohort=cohort).select_related(
            "organisation", "organisation__municipality"
        )
    )
    district = set(settings.district_municipalities.values_list("number", flat=True))
    trainee_pks = [t.pk for t in trainees]
    wishes = list(Wish.objects.filter(trainee_id__in=trainee_pks))
    ratings = list(Rating.objects.filter(trainee_id__in=trainee_pks))
    forbidden = list(ForbiddenPair.objects.filter(trainee_id__in=trainee_pks))
    placements = list(
        Placement.objects.filter(trainee_id__in=trainee_pks, period__cohort=cohort)
        .select_related("period", "organisation", "organisation__municipality")
        .order_by("period__number", "-share_percent", "pk")
    )

    hosts: dict[int, HostInput] = {}
    names: dict[int, str] = {}

    def add_host(organisation: Any, capacity: list[int], disciplines: list[str]) -> HostInput:
        municipality = organisation.municipality
        host = HostInput(
            id=host_id(organisation.pk),
            sector=organisation.sector,
            municipality=municipality.number,
            capacity=capacity,
            disciplines=frozenset(d.lower() for d in disciplines),
            centroid=(float(municipality.latitude), float(municipality.longitude)),
            district=municipality.number in district,
        )
        hosts[organisation.pk] = host
        names[organisation.pk] = organisation.name
        return host

    for offer in offers:
        capacity = [max(0, offer.places_in(p.number)) for p in periods]
        if any(capacity):
            add_host(offer.organisation, capacity, offer.discipline_list)
    for rating in ratings:
        if rating.organisation_id in hosts:
            hosts[rating.organisation_id].ratings[trainee_id(rating.trainee_id)] = rating.score

    # Placements already made: pins, and a host's capacity never below what it already has.
    kept: dict[int, dict[str, int]] = {}
    pinned_here: Counter[tuple[int, str]] = Counter()
    for placement in placements:
        period = placement.period
        keep = options.keep == KEEP_ALL or (
            options.keep == KEEP_STARTED and period.starts_on <= today
        )
        label = period_id(period.number)
        if not keep or label in kept.get(placement.trainee_id, {}):
            continue
        kept.setdefault(placement.trainee_id, {})[label] = placement.organisation_id
        pinned_here[(placement.organisation_id, label)] += 1
    for (organisation_id, label), count in sorted(pinned_here.items()):
        index = labels.index(label)
        if organisation_id not in hosts:
            organisation = next(
                p.organisation for p in placements if p.organisation_id == organisation_id
            )
            add_host(organisation, [0] * len(labels), [])
            warnings.append(
                _("%(host)s has no places entered; its placements already made are kept.")
                % {"host": organisation.name}
            )
        host = hosts[organisation_id]
        if host.capacity[index] < count:
            warnings.append(
                _(
                    "%(host)s has %(places)s place(s) in %(period)s but already %(count)s "
                    "placement(s) there; the places are raised to match."
                )
                % {
                    "host": names[organisation_id],
                    "places": host.capacity[index],
                    "period": label,
                    "count": count,
                }
            )
            host.capacity[index] = count

    wishes_by_trainee: dict[int, dict[str, int]] = {}
    for wish in wishes:
        if wish.organisation_id in hosts:
            wishes_by_trainee.setdefault(wish.trainee_id, {})[host_id(wish.organisation_id)] = (
                wish.rank
            )
    forbidden_by_trainee: dict[int, list[str]] = {}
    for pair in forbidden:
        forbidden_by_trainee.setdefault(pair.trainee_id, []).append(host_id(pair.organisation_id))

    trainee_inputs = []
    pin_count = 0
    for trainee in trainees:
        tid = trainee_id(trainee.pk)
        pinned = {label: host_id(org) for label, org in kept.get(trainee.pk, {}).items()}
        if trainee.employer_id and labels and labels[0] not in pinned:
            employer_host = hosts.get(trainee.employer_id)
            if employer_host is not None and employer_host.capacity[0] > 0:
                pinned[labels[0]] = employer_host.id
            elif trainee.employer is not None:
                warnings.append(
                    _(
                        "%(name)s's employer of record, %(employer)s, has no place in "
                        "%(period)s, so the trainee is not pinned there."
                    )
                    % {
                        "name": trainee.full_name,
                        "employer": trainee.employer.name,
                        "period": labels[0],
                    }
                )
        pin_count += len(pinned)
        home = trainee.home_municipality
        if home is None:
            warnings.append(
                _("%(name)s has no home municipality; travel counts as 0 km.")
                % {"name": trainee.full_name}
            )
        if trainee.pk not in wishes_by_trainee:
            warnings.append(_("%(name)s has no wishes yet.") % {"name": trainee.full_name})
        trainee_inputs.append(
            TraineeInput(
                id=tid,
                municipality=home.number if home else "",
                discipline=trainee.discipline,
                centroid=(float(home.latitude), float(home.longitude)) if home else None,
                wishes=wishes_by_trainee.get(trainee.pk, {}),
                pinned=pinned,
                forbidden=forbidden_by_trainee.get(trainee.pk, []),
                previous=(previous or {}).get(tid, {}),
            )
        )

    rules: dict[str, Any] = {
        "distinct_hosts": True,
        "min_sectors": options.min_sectors,
        "objective": options.objective,
    }
    if options.min_district_share:
        rules["min_district_share"] = options.min_district_share
    if previous is not None:
        rules["move_penalty"] = settings.move_penalty
    ordered_hosts = sorted(hosts.values(), key=lambda h: names[pk_of(h.id)].lower())
    instance = build_instance(
        periods=labels,
        hosts=ordered_hosts,
        trainees=trainee_inputs,
        weights=Weights(
            wish=settings.wish_weight,
            rating=settings.rating_weight,
            fit=settings.fit_weight,
            travel=settings.travel_weight,
        ),
        rules=rules,
    )
    period_places = [
        PeriodPlaces(label, sum(h.capacity[index] for h in hosts.values()), len(trainees))
        for index, label in enumerate(labels)
    ]
    for entry in period_places:
        if entry.short:
            warnings.append(
                _("%(period)s: %(trainees)s trainees but %(places)s places.")
                % {"period": entry.label, "trainees": entry.trainees, "places": entry.places}
            )
    if not hosts:
        warnings.append(_("No host has places for this cohort yet."))
    return BuiltInstance(
        instance=instance,
        warnings=warnings,
        periods=period_places,
        trainee_count=len(trainees),
        host_count=len(hosts),
        wish_count=sum(len(w) for w in wishes_by_trainee.values()),
        rating_count=sum(len(h.ratings) for h in hosts.values()),
        pin_count=pin_count,
        forbidden_count=sum(len(t.forbidden) for t in trainee_inputs),
    )
