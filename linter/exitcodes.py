"""Exit codes, one set for every command, so that a pipeline can tell findings from a bad
configuration from a crash."""

EXIT_OK = 0
EXIT_FINDINGS = 1  # a finding at or above fail_on; `parse`: the article parsed only partly; `rules --test`: a rule failed
EXIT_ERROR = 2  # usage, configuration, rule file or I/O: one line on stderr says which
EXIT_INTERNAL = 3  # a bug in copydesk (one line, never a traceback)
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
