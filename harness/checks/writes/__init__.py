"""Write checks: POST creates a readable record (and refuses an incomplete one), PATCH and
PUT (where documented with the same meaning) update partially, DELETE removes with the
documented status and an empty body. Only records these checks create are changed or
deleted; seeded data is never touched."""
