"""Seeded Trackops expense entries (``GET expense/entries``), in the shape the vendor's PHP
client reads (trackops/trackops-client-php, examples/expense_entry_export_example.php):
``formatted_entry_number``, ``entry_date``, ``User.name`` and ``ExpenseDetails[]`` with
``FinanceItem.expense_alias``, ``notes``, ``rate``, ``quantity`` and ``total``.

The statuses are the reference page's (support.trackops.com, API Reference - Expense
Entries). ASSUMED where neither shows it: the notation of ``formatted_entry_number``
(``E-`` and five digits) and money as strings with two decimals.
"""

from __future__ import annotations

import bisect
import random
from datetime import UTC, datetime

from harness.emulators._kit import past_times
from harness.emulators.trackops._seed import Record, ids, ref, updated

COUNT = 330
STATUSES = ("pending", "approved", "declined", "committed", "voided")

# finance items of kind expense: (expense_alias, lowest rate, highest rate, unit quantities)
FINANCE_ITEMS: tuple[tuple[int, str, float, float, tuple[float, ...]], ...] = (
    (1, "Mileage", 0.58, 0.67, (12.0, 48.0, 120.0, 236.0)),
    (2, "Meals", 8.0, 60.0, (1.0, 2.0)),
    (3, "Lodging", 80.0, 240.0, (1.0, 2.0, 3.0)),
    (4, "Records Fee", 5.0, 75.0, (1.0,)),
    (5, "Equipment Rental", 15.0, 400.0, (1.0,)),
    (6, "Parking", 3.0, 40.0, (1.0, 2.0)),
)


def _money(value: float) -> str:
    return f"{value:.2f}"


def _details(r: random.Random, first_id: int, case_number: str) -> list[Record]:
    out = []
    for n in range(r.choice((1, 1, 2, 3))):
        item_id, alias, low, high, quantities = r.choice(FINANCE_ITEMS)
        rate = round(r.uniform(low, high), 2)
        quantity = r.choice(quantities)
        out.append(
            {
                "id": first_id + n,
                "FinanceItem": {"id": item_id, "expense_alias": alias},
                "notes": f"{alias} for case {case_number}",
                "rate": _money(rate),
                "quantity": _money(quantity),
                "total": _money(rate * quantity),
            }
        )
    return out


def expense_entries(r: random.Random, cases: list[Record]) -> list[Record]:
    """The seeded entries, oldest first; each belongs to a case older than itself and to
    that case's investigator."""
    times = past_times(r, COUNT, span_days=300)
    case_times = [c["_created"] for c in cases]
    out = []
    detail_id = 40000
    for number, (eid, ts) in enumerate(zip(ids(r, COUNT, 7000), times, strict=True), start=1):
        case = cases[r.randrange(max(1, bisect.bisect_left(case_times, ts)))]
        details = _details(r, detail_id, case["case_number"])
        detail_id += len(details)
        entry_day = datetime.fromtimestamp(ts - r.randint(0, 5) * 86400, tz=UTC).replace(
            hour=0, minute=0, second=0
        )
        out.append(
            {
                "id": eid,
                "entry_number": number,
                "formatted_entry_number": f"E-{number:05d}",
                "entry_date": entry_day.date().isoformat(),
                "status": r.choice(STATUSES),
                "notes": f"Expenses for case {case['case_number']}",
                "total": _money(sum(float(d["total"]) for d in details)),
                "Case": ref(case, "case_number"),
                "User": case["User"],
                "ExpenseDetails": details,
                "_created": ts,
                "_updated": updated(r, ts),
                "_entry": entry_day.timestamp(),  # from/to bound the entry date here
            }
        )
    return out
