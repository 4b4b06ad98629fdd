"""Account checks: a request header switches the account a read answers for (among the
accounts trusted for the credentials), and records of another account carry a reference
hash naming that account."""
