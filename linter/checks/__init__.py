"""Rule kinds: one module per kind, registered here.

A kind supplies `prepare(rule, fail)` (validate and compile the rule's options once),
`run(doc, facts, rule)` returning `Finding`s, the values its message template may use, its
default scope, and `unreachable_scope(rule)` (why the rule's scope can never match, or None).
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

KINDS = {
    RequiredKind.name: RequiredKind(),
    ForbiddenKind.name: ForbiddenKind(),
    DirectiveKind.name: DirectiveKind(),
    CueKind.name: CueKind(),
    ClaimKind.name: ClaimKind(),
    AffiliateKind.name: AffiliateKind(),
    RegisterKind.name: RegisterKind(),
    BalancedKind.name: BalancedKind(),
}
