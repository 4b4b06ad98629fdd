"""Token checks: the documented grant and verification call, a token's lifetime and
expiry status, refreshing it (also to repeat a refused request), and resetting the API
token."""
