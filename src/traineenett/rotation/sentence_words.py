"""The solver's sentences in the reader's language, with names instead of ids.

The solver writes English (a public contract, stored in the plan JSON); ``sentences``
recognises each sentence and gives back its key and parameters, and here every key has
its translatable template. A sentence that is not recognised (an older wording, a
service's own message) is shown as it is, with ids replaced by names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traineenett.rotation import sentences
from traineenett.rotation.selectors import names_for

Params = Mapping[str, Any]
# An instance id (``t12``, ``h7``) inside a sentence the registry does not know.
IDENTIFIER = re.compile(r"\b[th]\d+\b")


def _n(params: Params, name: str) -> int:
    value = params[name]
    return len(value) if isinstance(value, list | tuple) else int(value)


# One template per registry key, in Django's %(name)s style so makemessages finds them.
# The count that chooses a plural form may differ from the English one: Norwegian says
# "1 plass" where the solver's English keeps "1 places".
WORDS: dict[str, Callable[[Params], str]] = {
    "check.not_a_trainee": lambda p: _("%(trainee)s is not a trainee in this instance"),
    "check.not_a_period": lambda p: _("%(trainee)s is placed in %(period)s, which is not a period"),
    "check.not_a_host": lambda p: _(
        "%(trainee)s is placed with %(host)s in %(period)s, which is not a host"
    ),
    "check.no_host": lambda p: _("%(trainee)s has no host in %(period)s"),
    "check.forbidden": lambda p: _(
        "%(trainee)s is placed with %(host)s in %(period)s, which is forbidden for %(trainee)s"
    ),
    "check.pin_broken": lambda p: _(
        "%(trainee)s is pinned to %(pinned)s in %(period)s but placed with %(host)s"
    ),
    "check.meets_twice": lambda p: _("%(trainee)s meets %(host)s twice (%(periods)s)"),
    "check.meets_times": lambda p: _("%(trainee)s meets %(host)s %(times)s times (%(periods)s)"),
    "check.sectors": lambda p: ngettext(
        "%(trainee)s's hosts span %(spanned)s sector (%(required)s required)",
        "%(trainee)s's hosts span %(spanned)s sectors (%(required)s required)",
        _n(p, "spanned"),
    ),
    "check.over_capacity_none": lambda p: ngettext(
        "%(host)s has %(trainees)s trainee in %(period)s but no places",
        "%(host)s has %(trainees)s trainees in %(period)s but no places",
        _n(p, "trainees"),
    ),
    "check.over_capacity": lambda p: ngettext(
        "%(host)s has %(trainees)s trainees in %(period)s but %(places)s place",
        "%(host)s has %(trainees)s trainees in %(period)s but %(places)s places",
        _n(p, "places"),
    ),
    "check.district": lambda p: _(
        "%(district)s of %(slots)s trainee-periods are at district hosts (%(share)s), "
        "but at least %(required_share)s (%(required)s) are required"
    ),
    "precheck.period_places": lambda p: ngettext(
        "period %(period)s: %(trainees)s trainees but %(places)s place",
        "period %(period)s: %(trainees)s trainees but %(places)s places",
        _n(p, "places"),
    ),
    "precheck.pin_forbidden": lambda p: _(
        "%(trainee)s is pinned to %(host)s in %(period)s, but %(host)s is forbidden for %(trainee)s"
    ),
    "precheck.pin_repeat": lambda p: _(
        "%(trainee)s is pinned to %(host)s in %(periods)s but hosts must differ"
    ),
    "precheck.pins_no_places": lambda p: ngettext(
        "%(host)s has no places in %(period)s but %(trainees)s is pinned there",
        "%(host)s has no places in %(period)s but %(trainees)s are pinned there",
        _n(p, "trainees"),
    ),
    "precheck.pins_over_places": lambda p: ngettext(
        "%(host)s has %(places)s place in %(period)s but %(pinned)s trainees are pinned "
        "there (%(trainees)s)",
        "%(host)s has %(places)s places in %(period)s but %(pinned)s trainees are pinned "
        "there (%(trainees)s)",
        _n(p, "places"),
    ),
    "precheck.no_allowed_host": lambda p: _(
        "%(trainee)s has no allowed host with a place in %(periods)s"
    ),
    "precheck.too_few_hosts": lambda p: ngettext(
        "%(trainee)s needs a different host in each of %(periods)s, but only %(hosts)s is "
        "open to %(trainee)s there",
        "%(trainee)s needs a different host in each of %(periods)s, but only %(hosts)s are "
        "open to %(trainee)s there",
        _n(p, "hosts"),
    ),
    "precheck.sector_span": lambda p: ngettext(
        "%(trainee)s can only be placed with %(options)s, so %(trainee)s's hosts cannot "
        "span %(required)s sector",
        "%(trainee)s can only be placed with %(options)s, so %(trainee)s's hosts cannot "
        "span %(required)s sectors",
        _n(p, "required"),
    ),
    "part.sector_option": lambda p: _("%(sectors)s hosts in %(period)s"),
    "part.sector_option_pinned": lambda p: _(
        "%(sectors)s hosts in %(period)s (pinned to %(host)s)"
    ),
    "precheck.district": lambda p: _(
        "at least %(share)s of the %(slots)s trainee-periods (%(required)s) must be at "
        "district hosts, but at most %(reachable)s can be"
    ),
    "explain.core": lambda p: _("these rules cannot all hold: %(rules)s"),
    "explain.no_core": lambda p: _(
        "no plan satisfies all the rules, but the clashing rules could not be singled out "
        "in time; relax places, pins or the sector and district rules and try again"
    ),
    "group.capacity_none": lambda p: _("%(host)s has no places in %(period)s"),
    "group.capacity": lambda p: ngettext(
        "%(host)s has %(places)s place in %(period)s",
        "%(host)s has %(places)s places in %(period)s",
        _n(p, "places"),
    ),
    "group.distinct": lambda p: _("%(trainee)s must meet a different host in every period"),
    "group.sectors": lambda p: ngettext(
        "%(trainee)s's hosts must span %(required)s sector",
        "%(trainee)s's hosts must span %(required)s sectors",
        _n(p, "required"),
    ),
    "group.pins": lambda p: _("%(trainee)s is pinned to %(pins)s"),
    "part.pin": lambda p: _("%(host)s in %(period)s"),
    "group.forbidden": lambda p: ngettext(
        "%(hosts)s is forbidden for %(trainee)s",
        "%(hosts)s are forbidden for %(trainee)s",
        _n(p, "hosts"),
    ),
    "group.district": lambda p: _(
        "at least %(share)s of trainee-periods (%(required)s) must be at district hosts"
    ),
    "solve.time_limit": lambda p: _(
        "no plan was found within the time limit of %(seconds)s seconds; the instance was "
        "not proven infeasible, so try a longer time limit"
    ),
}


def _join(items: Sequence[str], word: str) -> str:
    """A list in the reader's language: "a, b and c" / "a, b og c"; rule groups with "; "."""
    if word == ";":
        return "; ".join(items)
    if len(items) <= 1:
        return "".join(items)
    joined = {"items": ", ".join(items[:-1]), "last": items[-1]}
    if word == "or":
        return _("%(items)s or %(last)s") % joined
    return _("%(items)s and %(last)s") % joined


def words(key: str, params: Params, names: Mapping[str, str]) -> str:
    """Sentence ``key`` (parameters as :func:`sentences.parse` gives them) in the active
    language, ids replaced by ``names``."""
    template = sentences.REGISTRY[key]
    values: dict[str, Any] = {}
    for name, value in params.items():
        if name in template.lists:
            values[name] = _join(
                [
                    words(item[0], item[1], names)
                    if isinstance(item, tuple)
                    else names.get(item, item)
                    for item in value
                ],
                template.lists[name],
            )
        elif isinstance(value, str):
            values[name] = names.get(value, value)
        else:
            values[name] = value
    return WORDS[key](params) % values


def translated(texts: Iterable[str], instance: dict[str, Any]) -> list[str]:
    """The solver's sentences in the active language, with names instead of ids."""
    texts = list(texts)
    if not texts:
        return []
    host_names, trainee_names = names_for(instance)
    names = host_names | trainee_names
    shown = []
    for text in texts:
        found = sentences.parse(text)
        if found is None:
            shown.append(IDENTIFIER.sub(lambda m: names.get(m.group(0), m.group(0)), text))
        else:
            shown.append(words(*found, names))
    return shown
