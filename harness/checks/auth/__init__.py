"""Auth checks: the documented credential schemes are accepted, missing, wrong or
malformed credentials are refused, and valid credentials get no more than they may
(excluded users, read-only keys, records of others, the user's own credential record)."""
