"""Documents: upload with content checks, versions stored by hash, audience, distribution, read receipts."""
