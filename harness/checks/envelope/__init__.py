"""Envelope checks: what a success (and error) body looks like around its records.

The documented success status and service root answer, where the payload sits in a
body and the format of record ids, and the metadata fields an envelope carries (request
id, timestamp, status code, status and code fields). The typed ``[features.envelope]``
and ``[features.service_root]`` tables are in :mod:`harness.checks.envelope._features`;
the shared samples (the token grant, two error answers) in
:mod:`harness.checks.envelope._common`.
"""
