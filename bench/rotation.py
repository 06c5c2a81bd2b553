"""Benchmark the rotation planner against a greedy plan and HiGHS (scipy.optimize.milp).

    python bench/rotation.py                       # every size, both objectives, 3 solvers
    python bench/rotation.py --sizes 15x27 60x40   # some sizes only
    python bench/rotation.py --time-limit 600      # per solve (default 300 s)
    python bench/rotation.py --write-instances DIR # also save the generated instances

Every solve runs in its own subprocess so its peak memory (ru_maxrss from ``os.wait4``)
is its own. Prints a Markdown table and writes it to bench/out/rotation.md. See
docs/rotation-solver.md for the instance generator and the targets.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
OUT_DIR = ROOT / "out"
SIZES = ((15, 27), (60, 40), (150, 100), (400, 200))
OBJECTIVES = ("total", "maximin")
SOLVERS = ("cp-sat", "greedy", "highs")
SECTORS = ("private", "public", "municipal", "research")
SECTOR_WEIGHTS = (0.5, 0.25, 0.2, 0.05)
DISCIPLINES = ("economics", "engineering", "ict", "law", "health", "social science")
WISH_UTILITY = (10, 8, 6, 5, 4, 3)


def generate(
    trainees: int, hosts: int, objective: str = "total", seed: int = 2026, dense: bool = False
) -> dict[str, Any]:
    """A deterministic instance: realistic places, sectors, ranked wishes, pins, conflicts.

    * Hosts: a sector (half private), a place on a 100 x 100 km map, a third are district
      hosts; 1 place per period for most, 2 to 3 for a few, sometimes none in a period;
      places are topped up until every period has 10 to 20 % more places than trainees.
    * Trainees: a home on the map, a discipline, six ranked wishes drawn with popularity
      (some hosts are wished by many); utility = wish score (10, 8, 6, 5, 4, 3), other
      hosts 0. With ``dense``, every host also scores closeness (0 to 3 by distance) and
      discipline fit (2 when the host asks for the discipline), as the weighted formula of
      the coordinator pages does, so nearly every host has a small utility.
    * 5 % of trainees are pinned in P1 (employer of record) and 4 % have one or two
      forbidden hosts (conflicts of interest).
    * Rules: distinct hosts, at least two sectors, the given objective.
    """
    rng = random.Random(f"{seed}-{trainees}-{hosts}")
    periods = ["P1", "P2", "P3"]
    host_rows = []
    for index in range(hosts):
        big = rng.random() < 0.15
        capacity = [
            0 if rng.random() < 0.12 else (rng.choice((2, 2, 3)) if big else 1) for _ in periods
        ]
        host_rows.append(
            {
                "id": f"h{index + 1:03d}",
                "sector": rng.choices(SECTORS, SECTOR_WEIGHTS)[0],
                "municipality": f"34{index % 50:02d}",
                "capacity": capacity,
                "district": rng.random() < 0.33,
                "_xy": (rng.uniform(0, 100), rng.uniform(0, 100)),
                "_needs": set(rng.sample(DISCIPLINES, 2)),
                "_popularity": rng.paretovariate(1.5),
            }
        )
    for position in range(len(periods)):
        wanted = math.ceil(trainees * rng.uniform(1.10, 1.20))
        while sum(row["capacity"][position] for row in host_rows) < wanted:
            rng.choice(host_rows)["capacity"][position] += 1
    popularity = [row["_popularity"] for row in host_rows]
    trainee_rows = []
    for index in range(trainees):
        home = (rng.uniform(0, 100), rng.uniform(0, 100))
        discipline = rng.choice(DISCIPLINES)
        wishes: list[dict[str, Any]] = []
        while len(wishes) < min(len(WISH_UTILITY), hosts):
            pick = rng.choices(host_rows, popularity)[0]
            if pick not in wishes:
                wishes.append(pick)
        utility = {}
        for row in host_rows:
            distance = math.dist(home, row["_xy"])
            closeness = 3 if distance < 15 else 2 if distance < 30 else 1 if distance < 50 else 0
            fit = 2 if discipline in row["_needs"] else 0
            if not dense:
                closeness = fit = 0
            score = WISH_UTILITY[wishes.index(row)] if row in wishes else 0
            if score + closeness + fit:
                utility[row["id"]] = score + closeness + fit
        trainee_rows.append(
            {
                "id": f"t{index + 1:03d}",
                "municipality": f"34{index % 50:02d}",
                "discipline": discipline,
                "utility": utility,
                "pinned": {},
                "forbidden": [],
            }
        )
    places_left = [row["capacity"][0] for row in host_rows]
    for row in rng.sample(trainee_rows, max(1, trainees // 20)):
        open_hosts = [h for h, left in enumerate(places_left) if left > 0]
        host = rng.choice(open_hosts)
        places_left[host] -= 1
        row["pinned"] = {"P1": host_rows[host]["id"]}
    for row in rng.sample(trainee_rows, max(1, trainees * 4 // 100)):
        pinned = set(row["pinned"].values())
        choices = [h["id"] for h in host_rows if h["id"] not in pinned]
        row["forbidden"] = sorted(rng.sample(choices, rng.choice((1, 2))))
        for host_id in row["forbidden"]:
            row["utility"].pop(host_id, None)
    for row in host_rows:
        for key in ("_xy", "_needs", "_popularity"):
            del row[key]
    return {
        "periods": periods,
        "hosts": host_rows,
        "trainees": trainee_rows,
        "rules": {"distinct_hosts": True, "min_sectors": 2, "objective": objective},
    }


def run_one(solver: str, path: str, time_limit: float) -> dict[str, Any]:
    """Solve one instance file with one solver (inside the child process)."""
    sys.path.insert(0, str(ROOT.parent / "src"))
    from traineenett.rotation.baselines import greedy, milp
    from traineenett.rotation.solver import check, solve

    instance = json.loads(Path(path).read_text())
    if solver == "cp-sat":
        plan = solve(instance, time_limit=time_limit)
    elif solver == "greedy":
        plan = greedy(instance)
    else:
        plan = milp(instance, time_limit=time_limit)
    broken = check(instance, plan["assignment"]) if plan["assignment"] else ["no plan"]
    return {
        "status": plan["status"],
        "objective": plan["objective"],
        "min_trainee_utility": plan["min_trainee_utility"],
        "bound": plan["bound"],
        "seconds": plan["seconds"],
        "rules_broken": len(broken),
    }


def measure(solver: str, path: str, time_limit: float) -> dict[str, Any]:
    """Run one solve in a subprocess; add its peak memory in MB."""
    process = subprocess.Popen(  # noqa: S603 - our own script with our own arguments
        [sys.executable, __file__, "--one", solver, path, "--time-limit", str(time_limit)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{solver} on {path} failed with exit status {process.returncode}")
    result = json.loads(output)
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def gap(result: dict[str, Any], objective: str) -> str:
    if result["bound"] is None or result["status"] in ("failed", "infeasible", "unknown"):
        return "–"
    if objective == "maximin" and result["status"] != "optimal":
        return "n/a"
    value, bound = result["objective"], result["bound"]
    return f"{abs(bound - value) / max(1, abs(bound)) * 100:.2f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("SOLVER", "INSTANCE"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", nargs="*", default=[f"{t}x{h}" for t, h in SIZES])
    parser.add_argument("--objectives", nargs="*", default=list(OBJECTIVES))
    parser.add_argument("--solvers", nargs="*", default=list(SOLVERS))
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--write-instances", metavar="DIR")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1], args.time_limit)))
        return

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            trainees, hosts = (int(part) for part in size.split("x"))
            for objective in args.objectives:
                instance = generate(trainees, hosts, objective)
                path = Path(args.write_instances or scratch) / f"rotation-{size}-{objective}.json"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(instance))
                results = {}
                for solver in args.solvers:
                    results[solver] = result = measure(solver, str(path), args.time_limit)
                    rows.append((size, objective, solver, result))
                    print(size, objective, solver, json.dumps(result), file=sys.stderr, flush=True)
                if "cp-sat" in results and "highs" in results:
                    ratio = results["cp-sat"]["seconds"] / max(1e-9, results["highs"]["seconds"])
                    results["cp-sat"]["ratio"] = ratio

    lines = [
        f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}; "
        f"time limit {args.time_limit:g} s per solve.",
        "",
        "| trainees × hosts | objective | solver | status | total utility | min per trainee "
        "| bound | proven gap | seconds | CP-SAT / HiGHS time | peak MB | rules broken |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, objective, solver, result in rows:
        ratio = f"{result['ratio']:.2f}" if "ratio" in result else ""
        bound = "–" if result["bound"] is None else f"{result['bound']:g}"
        lines.append(
            f"| {size.replace('x', ' × ')} | {objective} | {solver} | {result['status']} "
            f"| {result['objective']} | {result['min_trainee_utility']} | {bound} "
            f"| {gap(result, objective)} | {result['seconds']:.2f} | {ratio} "
            f"| {result['peak_mb']:.0f} | {result['rules_broken']} |"
        )
    table = "\n".join(lines)
    print(table)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "rotation.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
