"""Idempotency checks: a create repeated with the same idempotency key replays the first
result and adds no second record, with the main header and each alternative one. The
typed ``[features.idempotency]`` table is in :mod:`harness.checks.idempotency._features`.
"""
