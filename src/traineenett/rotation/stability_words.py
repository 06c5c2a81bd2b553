"""The stability diagnostic in words: blocking pairs of one period of a plan."""

from __future__ import annotations

from importlib.util import find_spec

from django.utils.translation import gettext as _

from traineenett.rotation.models import RotationPlan
from traineenett.rotation.selectors import names_for


def diagnostic_available() -> bool:
    return find_spec("traineenett.rotation.stability") is not None


def blocking_pair_sentences(plan: RotationPlan, period: str) -> list[str]:
    """One sentence per blocking pair: a trainee and a host that both prefer each other
    to what the plan gave them in ``period``."""
    from traineenett.rotation.stability import blocking_pairs

    instance = plan.instance
    assignment = (plan.plan or {}).get("assignment") or {}
    host_names, trainee_names = names_for(instance)
    utilities = {t["id"]: t.get("utility", {}) for t in instance.get("trainees", [])}
    hosts = {h["id"]: h for h in instance.get("hosts", [])}
    index = instance["periods"].index(period)
    sentences = []
    for tid, hid in blocking_pairs(instance, assignment, period):
        current = assignment.get(tid, {}).get(period, "")
        ratings = hosts[hid].get("ratings", {})
        placed = [t for t, row in assignment.items() if row.get(period) == hid]
        free = len(placed) < hosts[hid]["capacity"][index]
        trainee_side = _(
            "%(trainee)s would rather be at %(host)s (utility %(better)s) than at "
            "%(current)s (utility %(worse)s)"
        ) % {
            "trainee": trainee_names.get(tid, tid),
            "host": host_names.get(hid, hid),
            "better": utilities[tid].get(hid, 0),
            "current": host_names.get(current, current),
            "worse": utilities[tid].get(current, 0),
        }
        if free:
            host_side = _("and %(host)s has a free place in %(period)s.") % {
                "host": host_names.get(hid, hid),
                "period": period,
            }
        else:
            weakest = min(placed, key=lambda t: ratings.get(t, 0))
            host_side = _(
                "and %(host)s rates %(trainee)s %(rating)s, higher than %(other)s (%(other_rating)s), "
                "whom it got in %(period)s."
            ) % {
                "host": host_names.get(hid, hid),
                "trainee": trainee_names.get(tid, tid),
                "rating": ratings.get(tid, 0),
                "other": trainee_names.get(weakest, weakest),
                "other_rating": ratings.get(weakest, 0),
                "period": period,
            }
        sentences.append(f"{trainee_side}, {host_side}")
    return sentences
