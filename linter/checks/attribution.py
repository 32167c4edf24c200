"""Kind `claim`: a factual claim in the author's own voice must carry a source.

PASS  "Revenue rose 4.2% to $1.3 billion, the company said."     (a source in the sentence)
FAIL  "Revenue rose 4.2% to $1.3 billion."   ->  the sentence, trigger "figure '4.2%'"

A body sentence is a claim when the weighted sum of the rule's `features` (regexes: figures,
past-tense events, named parties, minus opinion, future, modal and question cues) and of its
`lexicon` words, plus `bias`, exceeds `threshold`; the weights are data in the rule file and
its comments say how they were fitted.  It is sourced when the sentence holds an attribution
phrase from `sources` (unless it lies inside a `not_sources` match: the author or the
audience speaking, "as I said"), a link or a `citation` marker (a regex; by default a
footnote mark, "[3]" or "[^note]", or "(12)" closing the sentence), a direct quote whose speaker
is named beside it (see `document.quotes.quoted_speech_named`), or when it continues (`continuations`)
a sourced sentence of the same paragraph within `carry_window` sentences.  Sentences
matching `skip_if` (hedges, opinion) are left to the unverified rules, and sentences of
fewer than `min_words` words (default 4: "Shares rose 5%." is a claim) are not scored.  A story-level
sourcing note (`sourcing_notes`) is reported in the JSON output and satisfies sentence
attribution only when `sourcing_note_satisfies` is true.

What a financial page needs no source for is declared, not scored: `claim_features` names
the features that make a sentence a checkable fact (a figure, a ranking; without one, a
sentence is an evaluation or a description and is not flagged); `voices` keeps the check to
sentences in those voices (see `document/voice.py`: the issuer speaks for itself in its
release, a reported or quoted speaker is a source, "I"/"we" is the author's own account);
`exempt` lists named patterns for facts that need no source (observable market data, the
publisher's own backtest or model), each sentence they match left alone.  List items under a
sourced lead-in ("According to FactSet, the largest holders are:") are sourced by it, and
`story_sources` carry a sourced report ({lead, topic}: "McKesson reported quarterly
results") to later sentences on its topic in the same paragraph and the next two.  A
finding whose trigger matches `info_triggers` is reported at info unless the sentence also
holds a strong trigger, which then names it.  Every candidate (a sentence with a checkable-fact
feature) left alone is noted with why (its source, voice, exemption or hedge), returned to the
engine with the findings (the JSON's `not_flagged` with `--explain`), so an editor can see why
a figure passed.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left

from ..diagnostics import Finding
from ..document.quotes import names_speaker, quoted_speech_named
from ..document.voice import VOICES, voice_of
from ..patterns.compile import LazyRegex, compile_patterns, safe_compile
from ..patterns.gates import GatedPattern
from .kind import Option, RunResult, name_list, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.model import Rule
    from .kind import Fail

_CITATION = r"\[\d+\]|\[\^[\w-]+\]|\(\d{1,3}\)$"
_LETTERS = re.compile(r"[^\W\d_]+")


# `fitted: false` marks a weight set by hand, which benchmarks/fit_claims.py keeps as it is
_FEATURE_KEYS = frozenset({"name", "weight", "trigger", "pattern", "cased", "words_below", "words_above", "fitted"})


class _Feature:
    """One scored feature of a claim (`features`)."""

    __slots__ = ("name", "pattern", "weight", "trigger", "words_below", "words_above", "anchored", "fitted")
    name: str
    pattern: GatedPattern | None
    weight: float
    trigger: str | None
    words_below: int | None
    words_above: int | None
    anchored: bool
    fitted: bool


class _Prepared:
    """A rule's options, checked and compiled."""

    __slots__ = ("features", "bias", "threshold", "sources", "continuations", "carry_window",
                 "sourcing_notes", "sourcing_note_satisfies", "citation", "min_words", "skip_if", "not_sources", "lexicon",
                 "claim_features", "claim_feature_list", "voices", "exempt", "info_triggers", "story_sources")
    features: list[_Feature]
    bias: float
    threshold: float
    sources: list[GatedPattern]
    continuations: list
    carry_window: int
    sourcing_notes: list[GatedPattern]
    sourcing_note_satisfies: bool
    citation: LazyRegex
    min_words: int
    skip_if: list
    not_sources: list[GatedPattern]
    lexicon: dict[str, float]
    claim_features: frozenset[str] | None
    claim_feature_list: list[_Feature]
    voices: frozenset[str] | None
    exempt: list[tuple]  # (name, pattern, reach, unless pattern or None)
    info_triggers: list
    story_sources: list[tuple]  # (lead pattern, topic pattern)


def _prefixed(fail: Fail, key: str, prefix: str):
    """`fail` for one entry of a list option: its messages start with `prefix` (bound now,
    not read from the loop's variable later)."""
    return lambda message: fail(key, prefix + message)


class ClaimKind:
    name = "claim"
    default_scope = ("body",)
    message_fields = ("trigger", "kind", "match")
    options = (
        Option("features", list, required=True),
        Option("bias", (int, float), 0.0),
        Option("threshold", (int, float), 0.0),
        Option("sources", list, required=True),
        Option("continuations", list, []),
        Option("carry_window", int, 2),
        Option("sourcing_notes", list, []),
        Option("sourcing_note_satisfies", bool, False),
        Option("citation", str, _CITATION),
        Option("min_words", int, 4),
        Option("skip_if", list, []),
        Option("not_sources", list, []),
        Option("lexicon", dict, {}),
        Option("claim_features", list, None),  # names of `features`: checked once they are read
        Option("voices", list, None, names=VOICES, what="voice"),
        Option("exempt", list, []),
        Option("info_triggers", list, []),
        Option("story_sources", list, []),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        o = read_options(rule, fail, self.options)
        p = _Prepared()
        p.features = []
        for n, item in enumerate(o["features"]):
            if not isinstance(item, dict) or "name" not in item or "weight" not in item:
                fail("features", f"entry {n + 1}: needs 'name' and 'weight', and 'pattern' or 'words_below'/'words_above'")
            unknown = sorted(set(item) - _FEATURE_KEYS)
            if unknown:
                fail("features", f"{item['name']}: unknown key '{unknown[0]}' (expected one of: {', '.join(sorted(_FEATURE_KEYS))})")
            if not isinstance(item.get("fitted", True), bool):
                fail("features", f"{item['name']}: 'fitted' must be true or false")
            f = _Feature()
            f.name = str(item["name"])
            f.fitted = item.get("fitted", True)
            if not isinstance(item["weight"], (int, float)) or isinstance(item["weight"], bool):
                fail("features", f"{f.name}: 'weight' must be a number")
            f.weight = float(item["weight"])
            f.trigger = item.get("trigger")
            f.words_below = item.get("words_below")
            f.words_above = item.get("words_above")
            f.pattern = None
            f.anchored = False
            if "pattern" in item:
                f.anchored = str(item["pattern"]).startswith("^") or str(item["pattern"]).endswith("$")
                flags = 0 if item.get("cased") else re.IGNORECASE
                from ..patterns.safety import backtracking_risk

                risk = backtracking_risk(str(item["pattern"]), flags)
                if risk:
                    fail("features", f"{f.name}: pattern is unsafe: {risk}")
                try:
                    f.pattern = GatedPattern(LazyRegex.of(re.compile(item["pattern"], flags | re.MULTILINE)))
                except (re.error, TypeError) as exc:
                    fail("features", f"{f.name}: bad regular expression: {exc}")
            elif f.words_below is None and f.words_above is None:
                fail("features", f"{f.name}: needs 'pattern', 'words_below' or 'words_above'")
            p.features.append(f)
        p.bias = float(o["bias"])
        p.threshold = float(o["threshold"])
        p.sources = [GatedPattern(c) for c in compile_patterns(o["sources"], lambda m: fail("sources", m))]
        p.not_sources = [GatedPattern(c) for c in compile_patterns(o["not_sources"], lambda m: fail("not_sources", m))]
        p.continuations = compile_patterns(o["continuations"], lambda m: fail("continuations", m))
        p.carry_window = o["carry_window"]
        p.sourcing_notes = [GatedPattern(c) for c in compile_patterns(o["sourcing_notes"], lambda m: fail("sourcing_notes", m))]
        p.sourcing_note_satisfies = o["sourcing_note_satisfies"]
        try:
            p.citation = LazyRegex.of(safe_compile(o["citation"]))
        except re.error as exc:
            fail("citation", f"bad regular expression: {exc}")
        p.min_words = o["min_words"]
        p.skip_if = compile_patterns(o["skip_if"], lambda m: fail("skip_if", m))
        p.claim_features = None
        if o["claim_features"] is not None:
            p.claim_features = name_list(fail, "claim_features", o["claim_features"], [f.name for f in p.features], "feature")
        p.claim_feature_list = [f for f in p.features if p.claim_features is not None and f.name in p.claim_features]
        p.voices = o["voices"]
        p.exempt = []
        for n, item in enumerate(o["exempt"]):
            if not isinstance(item, dict) or not {"name", "pattern"} <= set(item) <= {"name", "pattern", "reach", "unless"}:
                fail("exempt", f"entry {n + 1}: needs 'name' and 'pattern' (optional: 'reach', 'unless')")
            reach = item.get("reach", "sentence")
            if reach not in ("sentence", "paragraph"):
                fail("exempt", f"{item['name']}: 'reach' must be sentence or paragraph")
            compiled = compile_patterns([item["pattern"]], _prefixed(fail, "exempt", f"{item['name']}: "))
            unless = compile_patterns([item["unless"]], _prefixed(fail, "exempt", f"{item['name']}: unless: ")) if "unless" in item else []
            p.exempt.append((str(item["name"]), GatedPattern(compiled[0]), reach, unless[0] if unless else None))
        p.story_sources = []
        for n, item in enumerate(o["story_sources"]):
            if not isinstance(item, dict) or set(item) != {"lead", "topic"}:
                fail("story_sources", f"entry {n + 1}: needs exactly 'lead' and 'topic'")
            lead = compile_patterns([item["lead"]], lambda m: fail("story_sources", f"lead: {m}"))[0]
            topic = compile_patterns([item["topic"]], lambda m: fail("story_sources", f"topic: {m}"))[0]
            p.story_sources.append((lead, topic))
        p.info_triggers = compile_patterns(o["info_triggers"], lambda m: fail("info_triggers", m))
        p.lexicon = {}
        for word, weight in o["lexicon"].items():
            if not isinstance(word, str) or not _LETTERS.fullmatch(word) or word != word.lower():
                fail("lexicon", f"{word!r}: entries must be lower-case words (letters only)")
            if not isinstance(weight, (int, float)) or isinstance(weight, bool):
                fail("lexicon", f"{word}: the weight must be a number")
            p.lexicon[word] = float(weight)
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        if not set(rule.scope) & {"body", "dek", "quote", "headline"}:
            return "claims are looked for in prose sections (body, dek, quote, headline), none of which is in scope"
        return None

    # -- running ------------------------------------------------------------------------
    def run(self, doc, facts, rule, directives=()) -> RunResult:
        p: _Prepared = rule.check
        story_notes = self._sourcing_notes(doc, p)
        if story_notes and p.sourcing_note_satisfies:
            return RunResult(sourcing=story_notes)
        notes: list[tuple[int, int, str]] = []  # why each candidate was not flagged
        out: list[Finding] = []
        article = doc.article_text()
        # each pattern runs once over the article; sentences then look up their share
        source_spans: tuple[list[int], list[int]] | None = None
        hits = _Hits(article)
        exempt_hits: list | None = None
        speaker_before = False  # the paragraph before ends naming a speaker ('"...," he added.')
        lead_in = False  # a sourced sentence ending in ":" heads the list items that follow
        story_topics: list = []  # topics a sourced report earlier in the article speaks for
        for bi, sentences in doc.sentences_by_block().items():
            block = doc.blocks[bi]
            if block.section not in rule.scope:
                speaker_before = False
                continue
            if source_spans is None:
                source_spans = self._source_spans(article, p)
            base = article.starts[bi]
            speech = quoted_speech_named(block, sentences, speaker_before)
            sourced = [self._has_source(block, s, k, p, source_spans, base, speech) for k, s in enumerate(sentences)]
            if lead_in and block.kind == "list_item":
                sourced = ["the sourced lead-in of its list"] * len(sentences)  # "According to FactSet, the largest holders are:"
            else:
                lead_in = bool(sourced[-1]) and sentences[-1].text.rstrip().endswith(":")
            speaker_before = names_speaker(block, sentences[-1])
            if p.story_sources:
                story_topics = [(t, bi_) for t, bi_ in story_topics if bi - bi_ <= 2]  # this paragraph and the next two
                for k, s in enumerate(sentences):
                    if sourced[k]:
                        story_topics.extend((t, bi) for lead, t in p.story_sources if lead.search(s.text))
                    elif story_topics and any(t.search(s.text) for t, _ in story_topics):
                        sourced[k] = "carried from the report the story rests on"
            text = block.text
            for k, s in enumerate(sentences):
                if not sourced[k] and self._carried(block, s, sentences, sourced, k, p):
                    sourced[k] = "continues a sourced sentence"  # "This compares to ..." after it
                lo, hi = s.plain_start + base, s.plain_end + base
                # cheapest first: a checkable-fact feature, then the sentence's own tests
                if p.claim_features is not None and not any(hits.within(f, lo, hi) for f in p.claim_feature_list):
                    continue  # no checkable fact: not a candidate, nothing to explain
                if sourced[k]:
                    notes.append((s.start, s.end, f"sourced: {sourced[k]}"))
                    continue
                trigger = self._claim(s, p, hits, base)
                if trigger is None:
                    if any(pat.search(s.text) for pat in p.skip_if):
                        notes.append((s.start, s.end, "hedged or forecast: left to the unverified rules"))
                    continue
                if p.voices is not None:
                    voice = voice_of(doc, bi, s)
                    if voice not in p.voices:
                        notes.append((s.start, s.end, f"voice: {VOICE_REASONS.get(voice, voice)}"))
                        continue
                if p.exempt:
                    if exempt_hits is None:  # exempt patterns run only for articles with a candidate
                        exempt_hits = [(name, article.matches(pat), reach, unless) for name, pat, reach, unless in p.exempt]
                    exempt = _exempt(exempt_hits, s, base, len(block.text))
                    if exempt:
                        notes.append((s.start, s.end, f"needs no source: {exempt}"))
                        continue
                kind, a, b = trigger
                match = " ".join(text[a:b].split())
                # a weaker kind of trigger (a percentage: often a move or a ratio) is reported
                # at info, so `--fail-on warning` meets the findings an editor trusts most;
                # a sentence that also holds a strong one ("8.1%, worth $2.1 billion") is named by it
                weak = any(t.search(match) for t in p.info_triggers)
                if weak:
                    strong = _strong_trigger(p, hits, s, base, text)
                    if strong is not None:
                        (kind, a, b), weak = strong, False
                        match = " ".join(text[a:b].split())
                ts, te = block.textmap.to_source(a, b)
                out.append(Finding(
                    s.start, s.end, {"trigger": f"{kind} '{match}'", "kind": kind, "match": match},
                    label=f"{kind}, no source named", section=s.section, pointer=block.pointer, primary=(ts, te),
                    severity="info" if weak else None,
                ))
        return RunResult(out, story_notes, notes)

    @staticmethod
    def _claim(s, p: _Prepared, hits, base: int):
        """(trigger kind, plain start, plain end) when sentence `s` scores as a factual claim.

        `hits` holds each feature's matches in article offsets; `base` is where the
        sentence's block starts in the article text.
        """
        stripped = s.text.strip()
        words = len(stripped.split())
        if _unscored(p, stripped, words):
            return None
        score = p.bias + lexicon_score(p, stripped)
        trigger = None
        lo, hi = s.plain_start + base, s.plain_end + base
        required = p.claim_features
        text = hits.article.text
        for f in p.features:
            if f.pattern is None:
                if (f.words_below is not None and words < f.words_below) or (f.words_above is not None and words > f.words_above):
                    score += f.weight
                continue
            if f.anchored:
                m = f.pattern.pattern.search(stripped)
                span = (m.start() + s.plain_start, m.end() + s.plain_start) if m else None
            elif required is None or f.name in required:
                starts, spans = hits.of(f)  # scanned over the article already, for the gate
                i = bisect_left(starts, lo)
                span = (spans[i][0] - base, spans[i][1] - base) if i < len(starts) and starts[i] < hi else None
            else:
                # the scoring-only features are looked for in the few candidate sentences, not
                # scanned over the whole article (they were half of the check's time)
                m = f.pattern.pattern.compiled.search(text, lo, hi)
                span = (m.start() - base, m.end() - base) if m else None
            if span is None:
                continue
            score += f.weight
            if f.trigger and f.weight > 0 and trigger is None and (required is None or f.name in required):
                trigger = (f.trigger, span[0], span[1])  # the first listed trigger feature names it
        if score <= p.threshold or trigger is None:
            return None
        return trigger

    @staticmethod
    def _source_spans(article, p: _Prepared) -> tuple[list[int], list[int]]:
        """Where attribution phrases start and end (sorted by start), leaving out those
        inside a `not_sources` match (the author or the audience as speaker: "as I said",
        "you mentioned")."""
        spans = sorted(sp for src in p.sources for sp in article.matches(src)[1])
        own: list[tuple[int, int]] = []
        for a, b in sorted(sp for n in p.not_sources for sp in article.spans(n)):
            if own and a <= own[-1][1]:  # merged, so one span at most can hold a position
                own[-1] = (own[-1][0], max(own[-1][1], b))
            else:
                own.append((a, b))
        if own and spans:
            own_starts = [a for a, _ in own]
            kept = []
            for a, b in spans:
                i = bisect_left(own_starts, a + 1) - 1  # the last own-speech span starting at or before a
                if i >= 0 and a < own[i][1]:
                    continue
                kept.append((a, b))
            spans = kept
        return [a for a, _ in spans], [b for _, b in spans]

    @staticmethod
    def _has_source(block, s, k, p: _Prepared, source_spans, base: int, speech: list[bool]) -> str:
        """How sentence `s` names its source, for the JSON's `not_flagged` notes; "" if it does not."""
        starts, ends = source_spans
        i = bisect_left(starts, s.plain_start + base)
        if i < len(starts) and starts[i] < s.plain_end + base:
            phrase = " ".join(block.text[starts[i] - base:ends[i] - base].split())
            return f"attribution '{phrase if len(phrase) <= 40 else phrase[:39] + '…'}'"
        if p.citation.search(s.text):
            return "a citation marker"
        if any(link.start < s.end and s.start < link.end for link in block.links):
            return "a link"
        # a direct quote whose speaker is named beside it ("...," he said.)
        return "a quote with its named speaker" if speech[k] else ""

    @staticmethod
    def _carried(block, s, sentences, sourced, k, p: _Prepared) -> bool:
        """A continuation ("He added that...", "The company also...") of a sourced sentence."""
        if not p.continuations or not any(c.search(s.text) for c in p.continuations):
            return False
        return any(sourced[j] for j in range(max(0, k - p.carry_window), k))

    @staticmethod
    def _sourcing_notes(doc, p: _Prepared) -> list[tuple[int, int]]:
        """Source spans of the sentences in which a sourcing-note pattern starts."""
        article = doc.article_text()
        starts = sorted(a for n in p.sourcing_notes for a in article.matches(n)[0])
        if not starts:
            return []
        notes = []
        for s in doc.sentences:
            base = article.starts[s.block]
            i = bisect_left(starts, base + s.plain_start)
            if i < len(starts) and starts[i] < base + s.plain_end:
                notes.append((s.start, s.end))
        return notes


VOICE_REASONS = {
    "issuer": "the issuer's own statement in its release",
    "quoted": "inside a quote",
    "reported": "a named speaker's reported speech",
    "question": "a question",
    "first_person": "the author's own account",
    "reader": "addressed to the reader",
}


def _strong_trigger(p: _Prepared, hits: _Hits, s, base: int, text: str):
    """The first match of a claim feature in sentence `s` that no `info_triggers` pattern
    matches, as (trigger kind, plain start, plain end); None when every one is weak."""
    lo, hi = s.plain_start + base, s.plain_end + base
    for f in p.claim_feature_list:
        if not f.trigger or f.weight <= 0 or f.pattern is None or f.anchored:
            continue
        starts, spans = hits.of(f)
        i = bisect_left(starts, lo)
        while i < len(starts) and starts[i] < hi:
            a, b = spans[i][0] - base, spans[i][1] - base
            if not any(t.search(text[a:b]) for t in p.info_triggers):
                return f.trigger, a, b
            i += 1
    return None


class _Hits:
    """Each feature's matches over the article, found on first use: most sentences are
    decided by a few features, and many articles never need the rest."""

    __slots__ = ("article", "found")

    def __init__(self, article):
        self.article, self.found = article, {}

    def of(self, f) -> tuple[list[int], list[tuple[int, int]]]:
        got = self.found.get(f.name)
        if got is None:
            got = self.found[f.name] = self.article.matches(f.pattern)
        return got

    def within(self, f, lo: int, hi: int) -> bool:
        """Does feature `f` match in article span lo:hi?"""
        if f.pattern is None:
            return False
        if f.anchored:
            return True  # decided on the sentence's own text when it is scored
        starts = self.of(f)[0]
        i = bisect_left(starts, lo)
        return i < len(starts) and starts[i] < hi


def _exempt(exempt_hits, s, base: int, block_len: int) -> str | None:
    """The name of the first `exempt` pattern matching in sentence `s` (or, for a pattern of
    paragraph reach, anywhere in its paragraph) whose `unless` the sentence does not match;
    None if none does.  `base` is where the sentence's block starts in the article text."""
    for name, (starts, _spans), reach, unless in exempt_hits:
        a, b = (base, base + block_len) if reach == "paragraph" else (base + s.plain_start, base + s.plain_end)
        i = bisect_left(starts, a)
        if i < len(starts) and starts[i] < b and not (unless is not None and unless.search(s.text)):
            return name
    return None


def _unscored(p: _Prepared, stripped: str, words: int) -> bool:
    """Too short, or hedged (left to the unverified rules): not scored as a claim."""
    return words < p.min_words or any(k.search(stripped) for k in p.skip_if)


def lexicon_words(text: str) -> set[str]:
    """The distinct lower-cased words of a text, as the `lexicon` option counts them."""
    return set(_LETTERS.findall(text.lower()))


def lexicon_score(p: _Prepared, text: str) -> float:
    """The sum of the `lexicon` weights of the distinct words in the text: exactly rounded
    (`math.fsum`), so the order a set yields them in (which changes from run to run) cannot
    tip a sentence over the threshold."""
    if not p.lexicon:
        return 0.0
    get = p.lexicon.get
    return math.fsum(get(w, 0.0) for w in lexicon_words(text))


def sentence_features(p: _Prepared, text: str) -> list[int] | None:
    """Indices of the features a sentence standing alone matches, or None when the check
    would not score it.  For fitting the weights (benchmarks/fit_claims.py); the check
    itself looks each sentence up in its article's matches, which for a one-sentence
    paragraph gives the same features."""
    stripped = text.strip()
    words = len(stripped.split())
    if _unscored(p, stripped, words):
        return None
    active = []
    for i, f in enumerate(p.features):
        if f.pattern is None:
            if (f.words_below is not None and words < f.words_below) or (f.words_above is not None and words > f.words_above):
                active.append(i)
        elif f.pattern.pattern.search(stripped):
            active.append(i)
    return active
