"""OpenAPI checks: the machine-readable API description is served as JSON where the
document says, describes the documented operations, and the interactive documentation
page is served beside it."""
