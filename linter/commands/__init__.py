"""One module per sub-command that is more than a few lines."""
