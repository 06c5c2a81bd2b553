from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort, Period, Trainee
from traineenett.core.models import Municipality, Program
from traineenett.members.models import Organisation
from traineenett.rotation.building import KEEP_ALL, KEEP_NONE, KEEP_STARTED, BuildOptions
from traineenett.rotation.models import MAX_RATING, MAX_WISHES, RotationSettings

OBJECTIVES = [
    ("total", _("Largest total utility")),
    ("maximin", _("Fairest: best for the worst-off trainee first, then the total")),
]
KEEP_CHOICES = [
    (KEEP_STARTED, _("Keep placements in periods that have begun")),
    (KEEP_ALL, _("Keep every placement already made")),
    (KEEP_NONE, _("Plan from scratch (only the employer of record is pinned)")),
]


class GridSelect(forms.Select):
    """A select for grids of many cells: the options are escaped once, shared by every
    cell, and joined as strings instead of rendering one template per option (the plan
    edit grid has thousands of options). The markup matches Django's `Select`."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__(choices=choices)
        self.plain = [
            format_html('<option value="{}">{}</option>', v, label) for v, label in choices
        ]
        self.marked = [
            format_html('<option value="{}" selected>{}</option>', v, label) for v, label in choices
        ]
        self.position = {str(v): i for i, (v, _label) in enumerate(choices)}

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = list(self.plain)
        for chosen in self.format_value(value):
            i = self.position.get(chosen)
            if i is not None:
                options[i] = self.marked[i]
                break
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 - every piece is escaped above or by flatatt
            f'<select name="{conditional_escape(name)}"{flatatt(final_attrs)}>'
            + "".join(options)
            + "</select>"
        )


class GridInput(Input):
    """An `<input>` rendered with string formatting instead of a template, for grids of
    many inputs. The markup matches Django's input widgets."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        shown = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        value_attr = format_html(' value="{}"', shown) if shown is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            self.input_type,
            name,
            value_attr,
            flatatt(final_attrs),
        )


class GridNumberInput(GridInput, forms.NumberInput):
    pass


class GridTextInput(GridInput, forms.TextInput):
    pass


class BuildForm(forms.Form):
    objective = forms.ChoiceField(label=_("Objective"), choices=OBJECTIVES, initial="total")
    min_sectors = forms.IntegerField(
        label=_("Sectors each trainee must see"),
        min_value=1,
        max_value=3,
        initial=2,
        help_text=_("Private and public: 2 means every trainee works in both sectors."),
    )
    min_district_share = forms.IntegerField(
        label=_("Minimum district share (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_(
            "Optional: at least this share of trainee-periods at hosts in district municipalities."
        ),
    )
    keep = forms.ChoiceField(
        label=_("Placements already made"), choices=KEEP_CHOICES, initial=KEEP_STARTED
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=10
    )
    excluded = forms.ModelMultipleChoiceField(
        label=_("Leave out (e.g. trainees who have left)"),
        queryset=Trainee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["excluded"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = cohort.trainees.order_by("last_name", "first_name")

    def options(self) -> BuildOptions:
        data = self.cleaned_data
        share = data.get("min_district_share")
        return BuildOptions(
            objective=data["objective"],
            min_sectors=data["min_sectors"],
            min_district_share=share / 100 if share else None,
            keep=data["keep"],
            excluded=tuple(sorted(t.pk for t in data.get("excluded") or [])),
            time_limit=float(data["time_limit"]),
        )


class ReplanForm(forms.Form):
    excluded = forms.ModelMultipleChoiceField(
        label=_("Trainees who have left"),
        queryset=Trainee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["excluded"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = cohort.trainees.order_by("last_name", "first_name")


class SettingsForm(forms.ModelForm):
    district_municipalities = forms.ModelMultipleChoiceField(
        label=_("District municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The register has no centrality classes: mark the municipalities of centrality "
            "classes 5–6 (or any you count as districts)."
        ),
    )

    class Meta:
        model = RotationSettings
        fields = ["wish_weight", "rating_weight", "fit_weight", "travel_weight", "move_penalty"]

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district_municipalities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = program.catchment.order_by("number")


class PlacesForm(forms.Form):
    """Places per period and needed disciplines, one row per member organisation."""

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        periods: list[Period],
        offers: dict[int, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations, self.periods = organisations, periods
        for organisation in organisations:
            offer = offers.get(organisation.pk)
            for period in periods:
                self.fields[f"places_{organisation.pk}_{period.number}"] = forms.IntegerField(
                    label=_("%(host)s, places in %(period)s")
                    % {"host": organisation.name, "period": period.label},
                    min_value=0,
                    max_value=999,
                    required=False,
                    initial=offer.places_in(period.number) if offer else 0,
                    widget=GridNumberInput(attrs={"class": "narrow"}),
                )
            self.fields[f"disciplines_{organisation.pk}"] = forms.CharField(
                label=_("%(host)s, disciplines needed") % {"host": organisation.name},
                max_length=500,
                required=False,
                initial=offer.disciplines if offer else "",
                widget=GridTextInput,
            )

    def rows(self) -> list[tuple[Organisation, list[forms.BoundField], forms.BoundField]]:
        return [
            (
                o,
                [self[f"places_{o.pk}_{p.number}"] for p in self.periods],
                self[f"disciplines_{o.pk}"],
            )
            for o in self.organisations
        ]

    def values(self) -> dict[int, tuple[dict[int, int], str]]:
        data = self.cleaned_data
        return {
            o.pk: (
                {p.number: data.get(f"places_{o.pk}_{p.number}") or 0 for p in self.periods},
                data.get(f"disciplines_{o.pk}") or "",
            )
            for o in self.organisations
        }


class WishForm(forms.Form):
    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ordinal = {1: _("First choice"), 2: _("Second choice"), 3: _("Third choice")}
        for rank in range(1, MAX_WISHES + 1):
            self.fields[f"wish_{rank}"] = forms.ModelChoiceField(
                label=ordinal.get(rank, str(rank)),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[int] = set()
        for rank in range(1, MAX_WISHES + 1):
            organisation = data.get(f"wish_{rank}")
            if organisation is None:
                continue
            if organisation.pk in seen:
                self.add_error(f"wish_{rank}", _("Choose a host you have not chosen already."))
            seen.add(organisation.pk)
        return data

    def choices(self) -> list[Organisation | None]:
        return [self.cleaned_data.get(f"wish_{rank}") for rank in range(1, MAX_WISHES + 1)]


RATING_CHOICES = [("", _("Not rated"))] + [(str(n), str(n)) for n in range(1, MAX_RATING + 1)]


class RatingForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    cohort = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, trainees: list[Trainee], scores: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.trainees = trainees
        for trainee in trainees:
            self.fields[f"rating_{trainee.pk}"] = forms.TypedChoiceField(
                label=_("Rating of %(name)s") % {"name": trainee.full_name},
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(scores.get(trainee.pk, "")),
            )

    def rows(self) -> list[tuple[Trainee, forms.BoundField]]:
        return [(t, self[f"rating_{t.pk}"]) for t in self.trainees]

    def scores(self) -> dict[int, int | None]:
        return {t.pk: self.cleaned_data.get(f"rating_{t.pk}") for t in self.trainees}


class ForbiddenForm(forms.Form):
    trainee = forms.ModelChoiceField(label=_("Trainee"), queryset=Trainee.objects.none())
    organisation = forms.ModelChoiceField(label=_("Host"), queryset=Organisation.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, cohort: Cohort, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainee = self.fields["trainee"]
        organisation = self.fields["organisation"]
        assert isinstance(trainee, forms.ModelChoiceField)
        assert isinstance(organisation, forms.ModelChoiceField)
        trainee.queryset = cohort.trainees.order_by("last_name", "first_name")
        organisation.queryset = organisations


class AssignmentForm(forms.Form):
    """One select per trainee and period: the hand edit of a plan."""

    def __init__(
        self,
        *args: Any,
        instance: dict[str, Any],
        assignment: dict[str, dict[str, str]],
        host_names: dict[str, str],
        trainee_names: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.periods = list(instance["periods"])
        self.trainee_ids = [t["id"] for t in instance["trainees"]]
        self.trainee_names = trainee_names
        choices = [(h["id"], host_names.get(h["id"], h["id"])) for h in instance["hosts"]]
        choices.sort(key=lambda c: c[1].lower())
        widget = GridSelect(choices)
        for tid in self.trainee_ids:
            for period in self.periods:
                self.fields[f"cell_{tid}_{period}"] = forms.ChoiceField(
                    label=_("%(name)s in %(period)s")
                    % {"name": trainee_names.get(tid, tid), "period": period},
                    choices=choices,
                    widget=widget,
                    initial=assignment.get(tid, {}).get(period, ""),
                )

    def rows(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        rows = [
            (tid, self.trainee_names.get(tid, tid), [self[f"cell_{tid}_{p}"] for p in self.periods])
            for tid in self.trainee_ids
        ]
        return sorted(rows, key=lambda r: [*r[1].split(" ")[-1:], r[1]])

    def assignment(self) -> dict[str, dict[str, str]]:
        return {
            tid: {p: self.cleaned_data[f"cell_{tid}_{p}"] for p in self.periods}
            for tid in self.trainee_ids
        }
