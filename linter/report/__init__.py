"""`copydesk report`: lint a whole archive and aggregate it for compliance officers.

work.py lints one article into a small picklable summary (run in worker processes);
cache.py keeps those summaries in SQLite keyed by content, rule set and version;
aggregate.py folds summaries into counts and top-N lists (memory stays flat);
render.py writes the report as JSON, CSV, Markdown or self-contained HTML.
"""
