"""Password hashing (argon2id), opaque random tokens and constant-time comparisons."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.core.text import password_form

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def use_fast_hashing_for_tests() -> None:
    """Cheap argon2 parameters; only the test suite calls this (hundreds of accounts per run)."""
    global _hasher, DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    DUMMY_HASH = _hasher.hash("sotay-dummy-password")


MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """The hash of the password's NFKC form, so that it verifies however it is typed."""
    return _hasher.hash(password_form(password))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str, password: str) -> bool:
    """Checks the NFKC form; a hash made before passwords were normalised (of the string as
    sent then) also accepts that exact string, and nothing else: no new password matches."""
    normal = password_form(password)
    if _verify(password_hash, normal):
        return True
    return normal != password and _verify(password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verifying against this keeps the timing of "no such user" close to "wrong password".
DUMMY_HASH = _hasher.hash("sotay-dummy-password")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored only as their SHA-256, so a database leak does not leak sessions."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def password_problem(password: str) -> str | None:
    """A reason the password is unacceptable, or None."""
    password = password_form(password)
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự"
    if password.isdigit() and len(set(password)) <= 2:
        return "Mật khẩu quá đơn giản"
    return None
