"""One-time link tokens: 256 random bits, URL-safe; only the SHA-256 of a token is ever stored."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits, well above the 128 the links need


def new_token() -> str:
    """A fresh unguessable token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of ``token`` (hex SHA-256). A leaked hash cannot be turned back into a working link."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
