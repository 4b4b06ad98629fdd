"""TODO(migration): moved to :mod:`harness.checks._weblinks`."""

from harness.checks._weblinks import (
    LinkValue,
    is_absolute,
    parse_link_header,
    query_value,
    relations,
)

__all__ = ["LinkValue", "is_absolute", "parse_link_header", "query_value", "relations"]
