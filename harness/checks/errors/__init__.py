"""Error checks: every documented error status answers with its documented error body.

Unknown paths, unknown records and URIs outside the JSON API answer their documented
status; bad query parameters and bad request bodies are refused; every error response of
the run carries the error body (and error type) of its status; and the run's responses
use only documented statuses, never a success carrying an error. The typed
``[features.errors]``, ``[features.not_acceptable]`` and ``[features.invalid_params]``
tables are in :mod:`harness.checks.errors._features`.
"""
