"""Rate-limit checks: what the target reports about its limits, that calls at the
documented pace are served, and that each documented limit is enforced at its number,
refused as documented and lifted after the window."""
