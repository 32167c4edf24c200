"""`Record`: the base of the plain data classes every run creates.

`@dataclass` writes each class's methods as source text and `exec`s it at import: about
0.7 ms a class, and the twenty classes a `copydesk check` process imported cost more than
a tenth of a pre-commit run.  The classes on that path are written out instead: fields in
`__slots__`, an explicit `__init__`; equality, `repr` and `replace` come from here.
"""

from __future__ import annotations


class Record:
    __slots__: tuple[str, ...] = ()
    # compared by value, as dataclasses are: not hashable (typeshed's object says callable)
    __hash__ = None  # type: ignore[assignment]

    def _values(self):
        """The field values compared; `_private` slots are caches, not data."""
        return tuple(getattr(self, name) for name in type(self).__slots__ if not name.startswith("_"))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__slots__ if not name.startswith("_"))
        return f"{type(self).__name__}({fields})"

    def replace(self, **changes):
        """A copy with `changes` applied (as `dataclasses.replace`)."""
        unknown = set(changes) - set(type(self).__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        new = object.__new__(type(self))
        for name in type(self).__slots__:
            setattr(new, name, changes[name] if name in changes else getattr(self, name))
        return new
