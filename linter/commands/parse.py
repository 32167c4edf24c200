"""`copydesk parse`: the article model (sections, sentences, positions) as text or JSON."""

from __future__ import annotations

import sys

from ..exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK


def run_parse(args) -> int:
    """Print the model; exit 1 when the article parsed only partly (each problem a warning
    line on stderr), 2 when it could not be read."""
    from ..document import parse_document
    from ..safetext import one_line
    from ..source import ArticleError, read_source

    try:
        source = read_source(args.file)
        if args.file == "-" and args.stdin_filename:
            source.path = args.stdin_filename
        doc = parse_document(source, args.input_format)
    except ArticleError as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        import json

        from ..document.export import document_to_dict

        json.dump(document_to_dict(doc), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from ..reporters.model_text import print_document

        print_document(doc)
    for p in doc.problems:
        line, col = doc.source.position(p.start)
        print(one_line(f"{doc.path}:{line}:{col}: warning parse {p.message}"), file=sys.stderr)
    return EXIT_FINDINGS if doc.problems else EXIT_OK
