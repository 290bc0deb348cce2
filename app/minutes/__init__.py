"""Minutes (biên bản) of a meeting: draft, edits, review chain, lock and verification."""
