"""Base for the registry's enumerations: each member carries its title and badge class."""

from __future__ import annotations

import enum
from typing import Any, ClassVar

from sqlalchemy import Enum as SAEnum


class Choice(enum.StrEnum):
    """A string enumeration whose members know their (translatable) title, `label`, and badge class.

    Subclasses set `__titles__` (member value -> lazy string) and optionally `__badges__`.
    """

    __titles__: ClassVar[dict[str, Any]] = {}
    __badges__: ClassVar[dict[str, str]] = {}

    @property
    def label(self) -> str:
        """The member's title in the current language."""
        return str(type(self).__titles__.get(self.value, self.value))

    @property
    def badge(self) -> str:
        return type(self).__badges__.get(self.value, "secondary")

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def parse(cls, value: str) -> Choice:
        """The member for `value`; raises ValueError naming the allowed values."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError("must be one of " + ", ".join(cls.values())) from None


def enum_column_type(enum_cls: type[Choice], name: str) -> SAEnum:
    """A VARCHAR column type with a named CHECK constraint listing the enum's values."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in enum_cls.values()) + 8,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
