"""copydesk: a compliance and disclaimer linter for financial-news articles."""

__version__ = "0.1.0"
