"""The home pages' to-do lists, per role: pure rules and the queries that count."""
