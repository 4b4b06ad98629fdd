"""Pagination checks: walking a collection page by page lists every record once, pages
hold the documented number of records in the documented order, and what each page says
about itself (Link header, paging headers, has-more flag) is true."""
