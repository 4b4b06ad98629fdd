"""Transport checks: how the API is reached and what every exchange carries.

HTTPS only, a certificate valid for the host and the versioned base URL; the media type,
charset, JSON body and documented status codes of every response; the documented request
method and ignored GET parameters; the status of a create and the request Content-Type
of writes. The typed ``[features.transport]`` and ``[features.request_headers]`` tables
are in :mod:`harness.checks.transport._common`.
"""
