"""Enumerations whose values are the names a user types (``--format nt``, ``--store oxigraph``).

One lookup for all of them: :meth:`NamedEnum.from_name` takes the value or one of the member's
aliases, case and surrounding blanks ignored, and refuses anything else with a message that lists
the names.

>>> import enum
>>> class Colour(NamedEnum):
...     RED = "red"
...     GREEN = "green"
>>> Colour.from_name(" Red ")
<Colour.RED: 'red'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

from il32rdf.errors import UsageError

__all__ = ["NamedEnum"]

_E = TypeVar("_E", bound="NamedEnum")


class NamedEnum(enum.Enum):
    """An enum looked up by its value (the command-line name) or an alias."""

    @classmethod
    def noun(cls) -> str:
        """What a value names, for the error message (``"format"``, ``"engine"``)."""
        return "name"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Other spellings: alias -> value. None by default."""
        return {}

    @classmethod
    def from_name(cls: type[_E], name: str | _E) -> _E:
        """Look a member up by its name (its value) or an alias, ignoring case.

        :raises UsageError: the name is not known; the message lists the known names.
        """
        if isinstance(name, cls):
            return name
        key = str(name).strip().lower()
        key = cls.aliases().get(key, key)
        for member in cls:
            if member.value == key:
                return member
        known = ", ".join(str(m.value) for m in cls)
        raise UsageError(f"unknown {cls.noun()} {name!r}; use one of: {known}")
