"""Benchmark the interview scheduler on a recruitment-days instance of realistic size.

    python bench/interviews.py [--repeats N] [--seed S] [--time-limit SECONDS]

Generates (deterministically, from the seed) 160 interview requests from 30 hosts for 60
candidates over 2 days of 20-minute slots (09:00-16:00), with unavailability, 6 rooms, a break
of 1 slot and at most 4 interviews per candidate and day; solves it N times and prints a
Markdown table. The instance is written to bench/out/interviews.json (for
``traineenett schedule-interviews``) and the table to bench/out/interviews.md. Exits 1 when a
run is not proven optimal or its median time is over the 2-second budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "out"
BUDGET_SECONDS = 2.0
DAYS = (date(2027, 3, 10), date(2027, 3, 11))
FIRST_START = "09:00"
LAST_END = "16:00"
SLOT_MINUTES = 20
REQUESTS, HOSTS, CANDIDATES = 160, 30, 60
ROOMS = 6
RULES = {"candidate_break_slots": 1, "max_per_candidate_per_day": 4}


def day_slots(day: date) -> list[dict[str, str]]:
    """The 20-minute slots of one day, starting 09:00, the last ending 16:00."""
    number = DAYS.index(day) + 1
    first, last = (int(text[:2]) * 60 + int(text[3:]) for text in (FIRST_START, LAST_END))
    slots = []
    for minutes in range(first, last - SLOT_MINUTES + 1, SLOT_MINUTES):
        start = f"{minutes // 60:02d}:{minutes % 60:02d}"
        slots.append(
            {"id": f"d{number}-{start.replace(':', '')}", "day": day.isoformat(), "start": start}
        )
    return slots


def generate(seed: int = 2027) -> dict[str, Any]:
    """The benchmark instance; the same seed gives the same instance."""
    rng = random.Random(seed)
    days = [day_slots(day) for day in DAYS]
    hosts = [f"h{number:02d}" for number in range(1, HOSTS + 1)]
    candidates = [f"c{number:02d}" for number in range(1, CANDIDATES + 1)]

    # Every candidate meets at least 2 hosts; the remaining requests go to the shortlisted favourites
    # (at most 5 hosts each). Some hosts are far more popular than others.
    wanted = dict.fromkeys(candidates, 2)
    while sum(wanted.values()) < REQUESTS:
        candidate = rng.choice(candidates)
        if wanted[candidate] < 5:
            wanted[candidate] += 1
    popularity = [1 + 4 * rng.random() ** 2 for _ in hosts]
    requests: list[dict[str, str]] = []
    for number, candidate in enumerate(candidates):
        chosen = [hosts[number % len(hosts)]]  # every host has at least a couple of requests
        while len(chosen) < wanted[candidate]:
            host = rng.choices(hosts, weights=popularity)[0]
            if host not in chosen:
                chosen.append(host)
        for host in chosen:
            requests.append(
                {"id": f"r{len(requests) + 1:03d}", "host": host, "candidate": candidate}
            )

    unavailable: dict[str, list[str]] = {}
    for host in hosts:
        roll = rng.random()
        if roll < 0.25:  # comes on one day only
            off = days[rng.randrange(2)]
        elif roll < 0.6:  # a meeting of 1-2 hours on one day
            day = days[rng.randrange(2)]
            length = rng.randint(3, 6)
            first = rng.randrange(len(day) - length + 1)
            off = day[first : first + length]
        else:
            off = []
        if off:
            unavailable[host] = [slot["id"] for slot in off]
    for candidate in candidates:
        roll = rng.random()
        if roll < 0.15:  # can come on one day only
            off = days[rng.randrange(2)]
        elif roll < 0.35:  # travels: arrives late on day 1 or leaves early on day 2
            length = rng.randint(2, 6)
            off = days[0][:length] if rng.random() < 0.5 else days[1][-length:]
        else:
            off = []
        if off:
            unavailable[candidate] = [slot["id"] for slot in off]

    return {
        "slots": [slot for day in days for slot in day],
        "requests": requests,
        "unavailable": unavailable,
        "rooms": ROOMS,
        "rules": dict(RULES),
    }


VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("as generated: 6 rooms, break 1, at most 4 a day", {}),
    (
        "tighter: 4 rooms, break 1, at most 2 a day",
        {"rooms": 4, "rules": {"candidate_break_slots": 1, "max_per_candidate_per_day": 2}},
    ),
    ("over capacity: 3 rooms (126 room-slots for 160 requests)", {"rooms": 3}),
)


@dataclass
class Row:
    name: str
    requests: int
    placed: int
    statuses: list[str]
    seconds: list[float]
    cpu: list[float]
    identical: bool
    unplaced: list[dict[str, str]]


def measure(name: str, instance: dict[str, Any], repeats: int, time_limit: float) -> Row:
    """Solve ``instance`` ``repeats`` times; wall time per call, validation included."""
    from traineenett.recruitment.scheduler import solve

    results, seconds, cpu = [], [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        results.append(solve(instance, time_limit=time_limit))
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    first = results[0]
    return Row(
        name=name,
        requests=len(instance["requests"]),
        placed=first["placed"],
        statuses=sorted({result["status"] for result in results}),
        seconds=seconds,
        cpu=cpu,
        identical=all(
            (result["schedule"], result["unplaced"]) == (first["schedule"], first["unplaced"])
            for result in results
        ),
        unplaced=first["unplaced"],
    )


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--time-limit", type=float, default=10.0)
    options = parser.parse_args()

    instance = generate(options.seed)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "interviews.json").write_text(json.dumps(instance, indent=1) + "\n")
    load = os.getloadavg()[0]
    rows = [
        measure(name, {**instance, **change}, options.repeats, options.time_limit)
        for name, change in VARIANTS
    ]
    hosts = {request["host"] for request in instance["requests"]}
    candidates = {request["candidate"] for request in instance["requests"]}
    unavailable_slots = sum(len(slots) for slots in instance["unavailable"].values())
    lines = [
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, OR-Tools {ortools_version()}, "
        f"load average at start {load:.2f}",
        f"- Instance (seed {options.seed}, bench/out/interviews.json): "
        f"{len(instance['requests'])} requests, {len(hosts)} hosts, {len(candidates)} "
        f"candidates, {len(instance['slots'])} slots on {len(DAYS)} days "
        f"({FIRST_START}-{LAST_END}, {SLOT_MINUTES} min), {len(instance['unavailable'])} "
        f"people with {unavailable_slots} unavailable slots in all",
        f"- {options.repeats} runs per row in one process, time limit {options.time_limit:g} s; "
        "seconds are the wall time of `solve()`, validation included; CPU seconds (one "
        "search worker) tell the work apart from waiting for a busy machine",
        "",
        "| instance | requests | placed | status | seconds (median) | seconds (max) "
        "| CPU s (max) | same schedule every run |",
        "|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.requests} | {row.placed} | {', '.join(row.statuses)} "
            f"| {statistics.median(row.seconds):.3f} | {max(row.seconds):.3f} "
            f"| {max(row.cpu):.3f} "
            f"| {'yes' if row.identical else 'NO'} |"
        )
    if rows[0].unplaced:
        lines += ["", "Unplaced in the first row:", ""]
        lines += [f"- {item['request']}: {item['reason']}" for item in rows[0].unplaced]
    passed = all(
        row.statuses == ["optimal"] and max(row.seconds) < BUDGET_SECONDS and row.identical
        for row in rows
    )
    lines += [
        "",
        f"**{'PASS' if passed else 'FAIL'}** (budget: every run proven optimal in under "
        f"{BUDGET_SECONDS:g} s, the same schedule every run)",
    ]
    report = "\n".join(lines) + "\n"
    (OUT_DIR / "interviews.md").write_text(report)
    print(report, end="")
    return 0 if passed else 1


def ortools_version() -> str:
    from importlib.metadata import version

    return version("ortools")


if __name__ == "__main__":
    sys.exit(main())
