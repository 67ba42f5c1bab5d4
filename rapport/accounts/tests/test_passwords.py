"""Passwords: Argon2id outside the test suite, Django's validators on, long passphrases welcome."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from config.settings import base

pytestmark = pytest.mark.django_db


def test_base_settings_hash_new_passwords_with_argon2id():
    # given the hashers of every environment but the test suite / when a password is hashed
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("a long and happy passphrase")
        # then it is Argon2, variant id, and it verifies
        assert identify_hasher(encoded).algorithm == "argon2"
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("a long and happy passphrase", encoded)


def test_production_uses_the_base_hashers():
    source = (base.BASE_DIR / "config" / "settings" / "production.py").read_text()
    assert "PASSWORD_HASHERS" not in source


def test_older_hashes_still_verify_and_are_upgraded():
    # given a PBKDF2 hash from before Argon2
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        old = make_password("old secret phrase", hasher="pbkdf2_sha256")
        upgraded = []
        # when it is checked / then it verifies and the setter is asked to store an Argon2 hash
        assert check_password("old secret phrase", old, setter=upgraded.append)
        assert upgraded == ["old secret phrase"]


def test_validators_refuse_weak_passwords():
    for weak in ("short", "password123", "12345678901"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_long_passphrases_are_allowed():
    # given a 1,000-character passphrase / then the validators accept it and it hashes and verifies
    passphrase = "correct horse battery staple " * 35
    validate_password(passphrase)
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert check_password(passphrase, make_password(passphrase))
