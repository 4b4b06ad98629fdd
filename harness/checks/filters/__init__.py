"""Filter checks: the query parameters that narrow a collection do so as documented.

Exact-match filters alone and combined (AND), the free-text search, date-range filters,
and search values sent percent-encoded. The typed ``[features.filters]`` and
``[features.url_encoding]`` tables are in :mod:`harness.checks.filters._features`.
"""
