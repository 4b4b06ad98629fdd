"""Fuzz checks: property-based requests built from the profile, held to the documented
behaviour.

Hypothesis draws read requests from what the profile documents (valid paging, orders and
filter values, and values outside them), schemathesis draws cases from the vendor's own
OpenAPI document, and hypothesis-jsonschema draws write bodies from the documented
request schemas. Generation is deterministic and bounded by the run's ``max_examples``;
each invariant (documented statuses, refusals, error bodies, success bodies, media type)
is judged by one judge, whichever check sent the request.
"""
