"""The digests that say what a run checked against: one definition for every report.

A vendor's **schema digest** covers the source of every JSON Schema of the vendor (its
files, and for a schema generated from ``readings.toml`` that file and the one it derives
from), as the schema store loaded them; its **catalog digest** covers the clause
catalog and the links that route findings to clauses. ``harness run`` records both per
target in ``results.json``; the Allure environment, the compliance reports and the
signed manifest all show those recorded values, so every report of a run agrees.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from harness.catalog import load_catalog
from harness.validation import SchemaStore, default_store

__all__ = ["VendorDigests", "vendor_digests"]


@dataclass(frozen=True)
class VendorDigests:
    schemas_sha256: str
    catalog_sha256: str
    schema_count: int


def vendor_digests(vendor: str, store: SchemaStore | None = None) -> VendorDigests:
    """The schema and catalog digests of ``vendor`` as the harness has them now."""
    digests = (store or default_store()).digests
    mine = sorted((k, v) for k, v in digests.items() if k.startswith(vendor + "/"))
    joined = "".join(f"{name} {digest}\n" for name, digest in mine).encode()
    return VendorDigests(
        schemas_sha256=hashlib.sha256(joined).hexdigest(),
        catalog_sha256=load_catalog((vendor,)).digest(),
        schema_count=len(mine),
    )
