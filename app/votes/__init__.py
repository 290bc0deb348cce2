"""Votes (biểu quyết): open and secret ballots on agenda items, tallies, auto-close."""
