"""Accounts: sign-in (throttled, no lockout), session and API tokens, passwords, role grants."""
