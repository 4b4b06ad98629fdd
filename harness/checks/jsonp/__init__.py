"""JSON-P checks: a callback query parameter wraps any answer in
``callback({meta, data})``, where data is the plain answer and meta repeats its status
and headers."""
