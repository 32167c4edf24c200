"""Everything copydesk does with regular expressions, one module per job.

- `normalise`: rule text made tolerant of typography (quotes, dashes, whitespace runs);
- `compile`: patterns validated and compiled lazily (`LazyRegex`, `compile_patterns`);
- `safety`: patterns that could backtrack without end refused (`backtracking_risk`);
- `gates`: what lets a pattern skip text (`GatedPattern`, `PatternSet`);
- `syntax`: copydesk's own reader of regex syntax, which `safety` and `gates` analyse.

Nothing here imports from the rest of `linter`: documents and rule kinds build on it.
"""
