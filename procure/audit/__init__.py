"""Audit log: every change of consequence is recorded with who, what and when."""
