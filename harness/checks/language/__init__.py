"""Language checks: the enumerations list the supported language codes, and the
documented language header changes the translated texts a read answers."""
