"""Conditional request checks: a GET that repeats the entity tag of the current
representation is answered 304 Not Modified, without a body."""
