"""Hostile-input tests: every form and query parameter, no answer is ever a 500."""
