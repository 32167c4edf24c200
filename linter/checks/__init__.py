"""Rule kinds: one module per kind, registered here.

Every kind meets the contract (`contract.Kind`; `kind.py`): it declares its options (`Option`s, checked
by `read_options`), `prepare(rule, fail)` compiles a rule's options once, `run(doc, facts,
rule)` returns a `RunResult` (findings and notes), and it names the values its message
template may use, its default scope and `unreachable_scope(rule)` (why the rule's scope can
never match, or None).
"""

from __future__ import annotations

from .affiliate import AffiliateKind
from .attribution import ClaimKind
from .balanced import BalancedKind
from .cue import CueKind
from .directive import DirectiveKind
from .forbidden import ForbiddenKind
from .register import RegisterKind
from .required import RequiredKind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .contract import Kind

KINDS: dict[str, Kind] = {
    RequiredKind.name: RequiredKind(),
    ForbiddenKind.name: ForbiddenKind(),
    DirectiveKind.name: DirectiveKind(),
    CueKind.name: CueKind(),
    ClaimKind.name: ClaimKind(),
    AffiliateKind.name: AffiliateKind(),
    RegisterKind.name: RegisterKind(),
    BalancedKind.name: BalancedKind(),
}
