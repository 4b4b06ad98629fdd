"""The ITRP emulator's faults: each breaks exactly one clause of schemas/itrp/clauses.toml.

The faults live in one module per concern (``_faults_envelope``, ``_faults_verbs``,
``_faults_auth``, ``_faults_jsonp``, ``_faults_paging``, ``_faults_ratelimit``,
``_faults_errors``); this module gathers them into ``FAULTS`` and re-exports the switch
names the app consults with ``ctx.fault``. ITRP-specific body and header changes are in
``_fault_changes``, the operations faults narrow to in ``_fault_scopes``.
"""

from __future__ import annotations

from harness.emulators._faults import Fault
from harness.emulators.itrp._faults_auth import (
    AUTH,
    F_ACCOUNT_IGNORED_ON_SITES,
    F_ANONYMOUS_403,
    F_QUERY_TOKEN_IGNORED,
    F_RESET_INACTIVE,
    F_RESET_KEEPS_OLD,
    F_RESET_SAME_TOKEN,
)
from harness.emulators.itrp._faults_envelope import (
    ENVELOPE,
)
from harness.emulators.itrp._faults_errors import (
    ERRORS,
    F_CREATE_DEFAULTS,
)
from harness.emulators.itrp._faults_jsonp import (
    F_JSONP_ERRORS_PLAIN,
    F_JSONP_LINK_RAW,
    F_JSONP_STATUS_TEXT,
    JSONP,
)
from harness.emulators.itrp._faults_paging import (
    F_NEXT_ON_LAST,
    F_PAGE_OVERLAP,
    F_PAGE_SIZE_25,
    F_PEOPLE_PAGE_SIZE_30,
    F_PER_PAGE_CAPPED,
    F_PER_PAGE_ZERO,
    PAGING,
)
from harness.emulators.itrp._faults_ratelimit import (
    F_RETRY_AFTER_DATE,
    LIMITS,
)
from harness.emulators.itrp._faults_verbs import (
    F_ETAG_IGNORED,
    F_ONLY_ETAG_HEADER,
    F_PATCH_RESETS,
    F_PUT_IGNORED,
    F_PUT_REJECTED,
    VERBS,
)

__all__ = [
    "FAULTS",
    "F_ACCOUNT_IGNORED_ON_SITES",
    "F_ANONYMOUS_403",
    "F_CREATE_DEFAULTS",
    "F_ETAG_IGNORED",
    "F_JSONP_ERRORS_PLAIN",
    "F_JSONP_LINK_RAW",
    "F_JSONP_STATUS_TEXT",
    "F_NEXT_ON_LAST",
    "F_ONLY_ETAG_HEADER",
    "F_PAGE_OVERLAP",
    "F_PAGE_SIZE_25",
    "F_PATCH_RESETS",
    "F_PEOPLE_PAGE_SIZE_30",
    "F_PER_PAGE_CAPPED",
    "F_PER_PAGE_ZERO",
    "F_PUT_IGNORED",
    "F_PUT_REJECTED",
    "F_QUERY_TOKEN_IGNORED",
    "F_RESET_INACTIVE",
    "F_RESET_KEEPS_OLD",
    "F_RESET_SAME_TOKEN",
    "F_RETRY_AFTER_DATE",
]

FAULTS: tuple[Fault, ...] = (*ENVELOPE, *VERBS, *AUTH, *JSONP, *PAGING, *LIMITS, *ERRORS)
