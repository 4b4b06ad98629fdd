"""Record checks: what the records in documented answers hold.

Identifier formats (UUIDs, or the documented pattern of the named id fields), timestamps
in the documented UTC notation, enumerated attributes with documented values only, the
documented or observed field set of each record, and dates given twice (Unix seconds and
ISO 8601) that agree. The typed ``[features.enums]``, ``[features.ids]``,
``[features.timestamps]`` and ``[features.ticket_fields]`` tables are in
:mod:`harness.checks.records._features`; the ways of reading records out of answers in
:mod:`harness.checks.records._common`.
"""
