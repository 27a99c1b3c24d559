"""The one cattrs converter between plan files' TOML data and the model, with strict hooks.

A value must already have its type ("5" is not 5); enums, id tuples and pairs are checked, and
every error names what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs

from thidua import model
from thidua.i18n import N_, _, pgettext
from thidua.model import Group, GroupResult, Pin, Plan, Staff, Unit
from thidua.text import unsafe_character

__all__ = ["SECTIONS", "TOP_FIELDS", "converter", "describe", "field_type", "reason"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)


def _strict(kind: type[T], label: str) -> Callable[[object, type[T]], T]:
    """A structure hook that accepts only values already of `kind` (no "5" for 5)."""

    def structure(value: object, _type: type[T]) -> T:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(_("expected {kind}, got a boolean").format(kind=_(label)))
        if not isinstance(value, kind):
            raise TypeError(
                _("expected {kind}, got {value}").format(kind=_(label), value=describe(value))
            )
        return value

    return structure


def describe(value: object) -> str:
    if isinstance(value, str):
        return _("the string {value}").format(value=repr(value))
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("a table")
    return _("{kind} {value}").format(kind=_type_name(value), value=repr(value))


def _type_name(value: object) -> str:
    """The TOML type of a value, short as Python names it ("int 5"), in the user's language."""
    # datetime before date: a datetime is a date too.
    if isinstance(value, bool):
        return pgettext("type", "bool")
    if isinstance(value, int):
        return pgettext("type", "int")
    if isinstance(value, float):
        return pgettext("type", "float")
    if isinstance(value, dt.datetime):
        return pgettext("type", "datetime")
    if isinstance(value, dt.date):
        return pgettext("type", "date")
    if isinstance(value, dt.time):
        return pgettext("type", "time")
    return type(value).__name__


# Built once: a plan file holds tens of thousands of strings and integers.
_STRING = _strict(str, N_("a string"))
_INTEGER = _strict(int, N_("an integer"))


def _structure_str(value: object, _type: type[str]) -> str:
    text = _STRING(value, str)
    bad = unsafe_character(text)
    if bad is not None:
        raise ValueError(
            _(
                "the control character U+{code:04X} in {text!r}; "
                "text here is one line of printable text"
            ).format(code=ord(bad), text=text[:40])
        )
    return text


def _structure_date(value: object, _type: type[dt.date]) -> dt.date:
    if isinstance(value, dt.datetime):
        raise TypeError(
            _("expected a date (YYYY-MM-DD), got a date and time {value}").format(value=value)
        )
    return _strict(dt.date, N_("a date (YYYY-MM-DD)"))(value, dt.date)


converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _INTEGER)
converter.register_structure_hook(bool, _strict(bool, N_("true or false")))
converter.register_structure_hook(dt.date, _structure_date)


def _structure_float(value: object, _type: type[float]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(_("expected a number, got {value}").format(value=describe(value)))
    if not math.isfinite(value):
        raise ValueError(_("expected a finite number, got {value}").format(value=value))
    return float(value)


converter.register_structure_hook(float, _structure_float)
converter.register_unstructure_hook(dt.date, lambda value: value)


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    allowed = [member.value for member in kind]
    if value not in allowed:
        choices = ", ".join(repr(choice) for choice in allowed)
        raise ValueError(
            _("expected one of {choices}, got {value}").format(
                choices=choices, value=describe(value)
            )
        )
    return kind(value)


# Registered per class: a StrEnum is a str, and the str hook would otherwise take it unchecked.
_MODEL_TYPES = [getattr(model, name) for name in model.__all__]
for _enum in (t for t in _MODEL_TYPES if isinstance(t, type) and issubclass(t, enum.Enum)):
    converter.register_structure_hook(_enum, _structure_enum)


def _structure_str_tuple(value: object, _type: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(
            _("expected an array of strings, got {value}").format(value=describe(value))
        )
    return tuple(_STRING(item, str) for item in value)


converter.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_str_tuple)


def _structure_int_pair(value: object, _type: object) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError(
            _("expected an array of two integers, got {value}").format(value=describe(value))
        )
    low, high = (_INTEGER(item, int) for item in value)
    return (low, high)


converter.register_structure_hook_func(lambda t: t == tuple[int, int], _structure_int_pair)


def _structure_pairs(value: object, _type: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise TypeError(_("expected an array of pairs, got {value}").format(value=describe(value)))
    pairs = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2:
            raise TypeError(_("expected a pair of ids, got {value}").format(value=describe(item)))
        first, second = (_STRING(part, str) for part in item)
        pairs.append((first, second))
    return tuple(pairs)


converter.register_structure_hook_func(lambda t: t == tuple[tuple[str, str], ...], _structure_pairs)


def _structure_border(value: object, _type: object) -> model.Border:
    # Written compactly, [first, second, km]: a province has hundreds of borders.
    if not isinstance(value, list) or len(value) != 3:
        raise TypeError(_("expected [unit, unit, km], got {value}").format(value=describe(value)))
    first, second = (_STRING(part, str) for part in value[:2])
    return model.Border(first, second, _structure_float(value[2], float))


converter.register_structure_hook(model.Border, _structure_border)
converter.register_unstructure_hook(model.Border, lambda b: [b.first, b.second, b.km])

# The model uses postponed annotations; cattrs and the checks above need the real types.
for _cls in (t for t in _MODEL_TYPES if attrs.has(t)):
    attrs.resolve_types(_cls)

# Sections of the file: TOML key, item class, and the field that identifies an item.
SECTIONS: tuple[tuple[str, type[Any], str | None], ...] = (
    ("units", Unit, "id"),
    ("staff", Staff, "id"),
    ("groups", Group, "id"),
    ("pins", Pin, None),
    ("results", GroupResult, "group"),
)
TOP_FIELDS = {field.name for field in attrs.fields(Plan)}


def field_type(cls: type[Any], key: str) -> Any:
    field_type = attrs.fields_dict(cls)[key].type
    assert field_type is not None  # resolve_types() ran on every model class
    return field_type


def reason(error: BaseException) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        inner = error.exceptions[0] if error.exceptions else error
        return reason(inner)
    if isinstance(error, KeyError):
        return _("missing field {field}").format(field=repr(error.args[0]))
    return str(error)
