"""The rotation solver's sentences: one registry of templates, rendered and recognised.

Pure Python, no Django. ``solver.py`` writes every sentence a coordinator reads through
:func:`render`, so the English stays one public contract (the plan JSON's ``conflicts``,
the CLI). Plans are stored as JSON and only the text survives, so the pages translate
from the text itself: :func:`parse` recognises a rendered sentence and gives back its
key and parameters (lists as lists, counts as ints), which ``sentence_words`` renders
again in the active language.

A template has ``{name}`` placeholders. Where the English varies with a count, the entry
has a plural template and names the count parameter (an int, or a list whose length
counts). List parameters are joined the way the solver always joined them: "a, b and c"
(or "or"), or "; " between the rule groups of an explanation. A list may hold *parts*,
smaller registered templates such as "{host} in {period}", given as ``(key, params)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

Parsed = tuple[str, dict[str, Any]]

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Template:
    """One sentence (or part of one) the solver writes, in English."""

    key: str
    singular: str
    plural: str | None = None
    count: str | None = None
    # List parameters and their joining word: "and", "or" or ";" (rule groups).
    lists: Mapping[str, str] = field(default_factory=dict)
    # List parameters whose items are parts: the keys an item may have.
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ints: frozenset[str] = frozenset()
    # A part only appears inside another sentence, never on its own.
    part: bool = False

    @property
    def params(self) -> list[str]:
        return list(dict.fromkeys(PLACEHOLDER.findall(self.singular)))

    def variants(self) -> list[str]:
        return [self.singular] if self.plural is None else [self.singular, self.plural]


def _t(key: str, singular: str, plural: str | None = None, **options: Any) -> Template:
    return Template(key, singular, plural, **options)


GROUPS = (
    "group.capacity_none",
    "group.capacity",
    "group.distinct",
    "group.sectors",
    "group.pins",
    "group.forbidden",
    "group.district",
)

TEMPLATES: tuple[Template, ...] = (
    # check(): the rules a (hand-edited) assignment breaks.
    _t("check.not_a_trainee", "{trainee} is not a trainee in this instance"),
    _t("check.not_a_period", "{trainee} is placed in {period}, which is not a period"),
    _t("check.not_a_host", "{trainee} is placed with {host} in {period}, which is not a host"),
    _t("check.no_host", "{trainee} has no host in {period}"),
    _t(
        "check.forbidden",
        "{trainee} is placed with {host} in {period}, which is forbidden for {trainee}",
    ),
    _t("check.pin_broken", "{trainee} is pinned to {pinned} in {period} but placed with {host}"),
    _t("check.meets_twice", "{trainee} meets {host} twice ({periods})", lists={"periods": "and"}),
    _t(
        "check.meets_times",
        "{trainee} meets {host} {times} times ({periods})",
        lists={"periods": "and"},
        ints=frozenset({"times"}),
    ),
    _t(
        "check.sectors",
        "{trainee}'s hosts span {spanned} sector ({required} required)",
        "{trainee}'s hosts span {spanned} sectors ({required} required)",
        count="spanned",
        ints=frozenset({"spanned", "required"}),
    ),
    _t(
        "check.over_capacity_none",
        "{host} has {trainees} trainee in {period} but no places",
        "{host} has {trainees} trainees in {period} but no places",
        count="trainees",
        ints=frozenset({"trainees"}),
    ),
    # More trainees than places, at least one place: always "trainees".
    _t(
        "check.over_capacity",
        "{host} has {trainees} trainees in {period} but {places} place",
        "{host} has {trainees} trainees in {period} but {places} places",
        count="places",
        ints=frozenset({"trainees", "places"}),
    ),
    _t(
        "check.district",
        "{district} of {slots} trainee-periods are at district hosts ({share}), "
        "but at least {required_share} ({required}) are required",
        ints=frozenset({"district", "slots", "required"}),
    ),
    # precheck(): conflicts seen without search.
    _t(
        "precheck.period_places",
        "period {period}: {trainees} trainees but {places} places",
        ints=frozenset({"trainees", "places"}),
    ),
    _t(
        "precheck.pin_forbidden",
        "{trainee} is pinned to {host} in {period}, but {host} is forbidden for {trainee}",
    ),
    _t(
        "precheck.pin_repeat",
        "{trainee} is pinned to {host} in {periods} but hosts must differ",
        lists={"periods": "and"},
    ),
    _t(
        "precheck.pins_no_places",
        "{host} has no places in {period} but {trainees} is pinned there",
        "{host} has no places in {period} but {trainees} are pinned there",
        count="trainees",
        lists={"trainees": "and"},
    ),
    _t(
        "precheck.pins_over_places",
        "{host} has {places} place in {period} but {pinned} trainees are pinned there ({trainees})",
        "{host} has {places} places in {period} but {pinned} trainees are pinned there ({trainees})",
        count="places",
        lists={"trainees": "and"},
        ints=frozenset({"places", "pinned"}),
    ),
    _t(
        "precheck.no_allowed_host",
        "{trainee} has no allowed host with a place in {periods}",
        lists={"periods": "and"},
    ),
    _t(
        "precheck.too_few_hosts",
        "{trainee} needs a different host in each of {periods}, but only {hosts} is open to "
        "{trainee} there",
        "{trainee} needs a different host in each of {periods}, but only {hosts} are open to "
        "{trainee} there",
        count="hosts",
        lists={"periods": "and", "hosts": "and"},
    ),
    _t(
        "precheck.sector_span",
        "{trainee} can only be placed with {options}, so {trainee}'s hosts cannot span "
        "{required} sector",
        "{trainee} can only be placed with {options}, so {trainee}'s hosts cannot span "
        "{required} sectors",
        count="required",
        lists={"options": "and"},
        parts={"options": ("part.sector_option_pinned", "part.sector_option")},
        ints=frozenset({"required"}),
    ),
    _t(
        "part.sector_option",
        "{sectors} hosts in {period}",
        lists={"sectors": "or"},
        part=True,
    ),
    _t(
        "part.sector_option_pinned",
        "{sectors} hosts in {period} (pinned to {host})",
        lists={"sectors": "or"},
        part=True,
    ),
    _t(
        "precheck.district",
        "at least {share} of the {slots} trainee-periods ({required}) must be at district "
        "hosts, but at most {reachable} can be",
        ints=frozenset({"slots", "required", "reachable"}),
    ),
    # explain(): the rule groups that clash, found by search.
    _t(
        "explain.core",
        "these rules cannot all hold: {rules}",
        lists={"rules": ";"},
        parts={"rules": GROUPS},
    ),
    _t(
        "explain.no_core",
        "no plan satisfies all the rules, but the clashing rules could not be singled out "
        "in time; relax places, pins or the sector and district rules and try again",
    ),
    _t("group.capacity_none", "{host} has no places in {period}", part=True),
    _t(
        "group.capacity",
        "{host} has {places} place in {period}",
        "{host} has {places} places in {period}",
        count="places",
        ints=frozenset({"places"}),
        part=True,
    ),
    _t("group.distinct", "{trainee} must meet a different host in every period", part=True),
    _t(
        "group.sectors",
        "{trainee}'s hosts must span {required} sector",
        "{trainee}'s hosts must span {required} sectors",
        count="required",
        ints=frozenset({"required"}),
        part=True,
    ),
    _t(
        "group.pins",
        "{trainee} is pinned to {pins}",
        lists={"pins": "and"},
        parts={"pins": ("part.pin",)},
        part=True,
    ),
    _t("part.pin", "{host} in {period}", part=True),
    _t(
        "group.forbidden",
        "{hosts} is forbidden for {trainee}",
        "{hosts} are forbidden for {trainee}",
        count="hosts",
        lists={"hosts": "and"},
        part=True,
    ),
    _t(
        "group.district",
        "at least {share} of trainee-periods ({required}) must be at district hosts",
        ints=frozenset({"required"}),
        part=True,
    ),
    # solve(): no plan and no proof of infeasibility.
    _t(
        "solve.time_limit",
        "no plan was found within the time limit of {seconds} seconds; "
        "the instance was not proven infeasible, so try a longer time limit",
    ),
)

REGISTRY: dict[str, Template] = {template.key: template for template in TEMPLATES}


# --------------------------------------------------------------------------- rendering


def join(items: Sequence[str], word: str = "and") -> str:
    """``a, b and c`` (the solver's list style); ``;`` joins rule groups with ``; ``."""
    items = list(items)
    if word == ";":
        return "; ".join(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def count_of(template: Template, params: Mapping[str, Any]) -> int | None:
    """The number the template's wording depends on (a list counts its items)."""
    if template.count is None:
        return None
    value = params[template.count]
    return len(value) if isinstance(value, list | tuple) else int(value)


def _item_text(item: Any) -> str:
    if isinstance(item, tuple):
        key, params = item
        return render(key, **params)
    return str(item)


def render(key: str, **params: Any) -> str:
    """The English sentence ``key`` with ``params``; lists may hold ``(key, params)`` parts."""
    template = REGISTRY[key]
    missing = set(template.params) - set(params)
    if missing:
        raise KeyError(f"{key}: missing {', '.join(sorted(missing))}")
    text = template.singular if count_of(template, params) in (None, 1) else template.plural
    assert text is not None
    values = {
        name: join([_item_text(item) for item in value], template.lists[name])
        if name in template.lists
        else str(value)
        for name, value in params.items()
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


# --------------------------------------------------------------------------- parsing


def _pattern(template: Template, text: str) -> re.Pattern[str]:
    seen: set[str] = set()
    pieces = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(re.escape(text[position : match.start()]))
        name = match.group(1)
        if name in seen:
            pieces.append(f"(?P={name})")
        else:
            seen.add(name)
            pieces.append(rf"(?P<{name}>\d+)" if name in template.ints else f"(?P<{name}>.+?)")
        position = match.end()
    pieces.append(re.escape(text[position:]))
    return re.compile("".join(pieces), re.DOTALL)


PATTERNS: dict[str, list[re.Pattern[str]]] = {
    template.key: [_pattern(template, text) for text in template.variants()]
    for template in TEMPLATES
}


def _split_commas(text: str, item: Callable[[str], Any]) -> list[Any] | None:
    """``text`` as items joined by ``", "``, cutting as early as the items allow."""
    start = 0
    while (cut := text.find(", ", start)) != -1:
        first = item(text[:cut])
        if first is not None:
            rest = _split_commas(text[cut + 2 :], item)
            if rest is not None:
                return [first, *rest]
        start = cut + 1
    whole = item(text)
    return None if whole is None else [whole]


def _split(text: str, word: str, item: Callable[[str], Any]) -> list[Any] | None:
    """The items of a joined list, preferring more of them when a name is ambiguous."""
    if word == ";":
        items = [item(piece) for piece in text.split("; ")]
        return None if any(found is None for found in items) else items
    separator = f" {word} "
    cut = text.rfind(separator)
    while cut != -1:
        last = item(text[cut + len(separator) :])
        if last is not None:
            head = _split_commas(text[:cut], item)
            if head is not None:
                return [*head, last]
        cut = text.rfind(separator, 0, cut)
    whole = item(text)
    return None if whole is None else [whole]


def _plain(text: str) -> str | None:
    return text or None


def _parse_as(key: str, text: str) -> dict[str, Any] | None:
    template = REGISTRY[key]
    for pattern in PATTERNS[key]:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        params: dict[str, Any] = {}
        for name, value in match.groupdict().items():
            if name in template.ints:
                params[name] = int(value)
            elif name in template.lists:
                allowed = template.parts.get(name)
                item: Callable[[str], Any] = partial(_parse_among, allowed) if allowed else _plain
                params[name] = _split(value, template.lists[name], item)
                if params[name] is None:
                    break
            else:
                params[name] = value
        else:
            # The wording (singular or plural) must agree with the count.
            if render(key, **params) == text:
                return params
    return None


def _parse_among(keys: Sequence[str], text: str) -> Parsed | None:
    for key in keys:
        params = _parse_as(key, text)
        if params is not None:
            return key, params
    return None


SENTENCES = tuple(template.key for template in TEMPLATES if not template.part)


def parse(text: str) -> Parsed | None:
    """The key and parameters of a sentence :func:`render` wrote, or None.

    Counts come back as ints, lists as lists (of strings, or of ``(key, params)`` parts).
    """
    return _parse_among(SENTENCES, text)
