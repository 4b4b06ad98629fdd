"""Collection checks: the documented collections and what they answer as a whole.

Each documented resource answers a list and its records can be fetched by id, a count
request agrees with the records paged, and related records nest as documented. The typed
``[features.mode_count]``, ``[features.nesting]`` and ``[features.resources]`` tables are
in :mod:`harness.checks.collections._features`.
"""
