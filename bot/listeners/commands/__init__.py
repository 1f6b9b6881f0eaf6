"""Slash command listeners: `/negotiate` and its subcommand router."""
