"""How far a plan is from a stable matching, one period at a time.

A blocking pair is a trainee and a host that both prefer each other to what the plan
gave them: the trainee's utility for the host is strictly higher than for its host in
that period, the host is allowed for the trainee (not forbidden, the trainee is not
pinned elsewhere in that period, and with distinct hosts the trainee does not meet the
host in another period), and the host either has a free place in that period or rates
the trainee strictly higher than its lowest-rated trainee there. Hosts rate trainees in
``"ratings"`` (higher is better, unlisted = 0). No Django imports.
"""

from __future__ import annotations

from collections import defaultdict

from traineenett.rotation.solver import parse

__all__ = ["blocking_pairs"]


def blocking_pairs(
    instance: dict, assignment: dict[str, dict[str, str]], period: str
) -> list[tuple[str, str]]:
    """The (trainee id, host id) pairs that block the assignment in ``period``.

    A trainee without a host in the period prefers every allowed host. Pairs are sorted
    by trainee, then host.
    """
    parsed = parse(instance)
    if period not in parsed.periods:
        raise ValueError(f'unknown period "{period}"')
    position = parsed.periods.index(period)
    placed: dict[str, list[str]] = defaultdict(list)
    for trainee in parsed.trainees:
        host_id = assignment.get(trainee.id, {}).get(period)
        if host_id is not None:
            placed[host_id].append(trainee.id)
    pairs = []
    for trainee in parsed.trainees:
        placements = assignment.get(trainee.id, {})
        current = placements.get(period)
        current_utility = trainee.utility.get(current, 0) if current is not None else None
        pinned = trainee.pinned.get(period)
        elsewhere = {host_id for other, host_id in placements.items() if other != period}
        for host in parsed.hosts:
            if host.id == current or host.id in trainee.forbidden:
                continue
            if pinned is not None and pinned != host.id:
                continue
            if parsed.distinct_hosts and host.id in elsewhere:
                continue
            if current_utility is not None and trainee.utility.get(host.id, 0) <= current_utility:
                continue
            there = placed.get(host.id, [])
            if len(there) < host.capacity[position] or (
                there
                and host.ratings.get(trainee.id, 0)
                > min(host.ratings.get(other, 0) for other in there)
            ):
                pairs.append((trainee.id, host.id))
    return sorted(pairs)
