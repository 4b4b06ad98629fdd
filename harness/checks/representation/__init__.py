"""Representation checks: the same read answers the same JSON whether JSON is asked for
by default, by Accept or by the documented path suffix (``.json``), and the ``fields``
parameter keeps only the named attributes of each record."""
