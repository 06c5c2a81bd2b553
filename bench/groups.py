"""Benchmark the group builder (``traineenett.competence.groups.build_groups``).

    python bench/groups.py [--seeds N]

Random instances: 8 disciplines, 11 host organisations, 2 cohorts; every pair of an
earlier round (built first with another seed) counts as "grouped before". For 60 and 100
people in groups of 4 and 6, prints a Markdown table of the median and maximum time over
the seeds, the pairs repeated from the earlier round and the spread reached (mean distinct
disciplines per group). Pure Python, no database. Exits 1 when a run is over the 5-second
budget or repeats a pair.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from traineenett.competence.groups import Person, build_groups, pairs_of

DISCIPLINES = [
    "economics",
    "engineering",
    "law",
    "computer science",
    "social science",
    "biology",
    "communication",
    "public health",
]
BUDGET_SECONDS = 5.0


def people_for(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    return [
        Person(i, rng.choice(DISCIPLINES), f"org{rng.randrange(11)}", str(2025 + rng.randrange(2)))
        for i in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    print("| people | group size | median | max | pairs repeated | disciplines per group |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    failed = False
    for count in (60, 100):
        for size in (4, 6):
            times: list[float] = []
            repeated: list[int] = []
            spread: list[float] = []
            for seed in range(args.seeds):
                people = people_for(count, seed)
                earlier = pairs_of(build_groups(people, size, seed=seed + 100).groups)
                started = time.perf_counter()
                result = build_groups(people, size, seed=seed, previous_pairs=earlier)
                times.append(time.perf_counter() - started)
                repeated.append(result.repeated_pairs)
                spread.append(
                    statistics.mean(
                        len({people[i].discipline for i in group}) for group in result.groups
                    )
                )
            failed |= max(times) > BUDGET_SECONDS or max(repeated) > 0
            print(
                f"| {count} | {size} | {statistics.median(times) * 1000:.0f} ms "
                f"| {max(times) * 1000:.0f} ms | {max(repeated)} "
                f"| {statistics.mean(spread):.2f} of {size} |"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
