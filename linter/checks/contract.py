"""The rule-kind contract as a type: what the loader and the engine ask of every kind in
`linter/checks/` (the options and run results it deals in are in `kind.py`).

A `typing.Protocol`, so imported only by the type checker and by the test that holds every
registered kind to it: a run never imports `typing` (about 3 ms of a one-shot check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..directives import Directive
    from ..document.model import Document
    from ..entities import Facts
    from ..ruleset.model import Rule
    from .kind import Fail, Option, RunResult


@runtime_checkable
class Kind(Protocol):
    """What every rule kind in `linter/checks/` supplies.

    name: what a rule's `kind:` says; default_scope: the sections a rule without `scope:`
    looks at; message_fields: the values its message and help templates may use; options:
    the options a rule of this kind takes; runs_after_suppression: the kind audits the
    inline suppressions, so it runs once the other rules' findings are suppressed and is
    handed the directives.
    """

    # read-only members: a kind gives them as class attributes
    @property
    def name(self) -> str: ...

    @property
    def default_scope(self) -> tuple[str, ...]: ...

    @property
    def message_fields(self) -> tuple[str, ...]: ...

    @property
    def options(self) -> tuple[Option, ...]: ...

    @property
    def runs_after_suppression(self) -> bool: ...

    def prepare(self, rule: Rule, fail: Fail) -> Any:
        """The rule's options, checked (see `read_options`) and compiled once: the engine
        hands this back as `rule.check`.  A bad option is `fail(key, message)`."""
        ...

    def unreachable_scope(self, rule: Rule) -> str | None:
        """Why the prepared rule's scope can never match (an error at `scope`), or None."""
        ...

    def run(self, doc: Document, facts: Facts, rule: Rule, directives: Sequence[Directive] = ()) -> RunResult:
        """The rule's findings on one article (and any notes); `directives`: the article's
        inline suppressions, after they were applied (given only to kinds that run after
        suppression; empty for the rest)."""
        ...
