"""The suites need nothing beyond the harness plugin (registered by the pytest11 entry point)."""
