"""The audit viewer: the append-only, hash-chained log (app/core/audit.py) read and verified."""
