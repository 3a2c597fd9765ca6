"""Field-level AES-256-GCM encryption with per-firm envelope keys.

Each firm has data keys (32 random bytes, numbered versions), stored wrapped by
the master key. Each encrypted field is ``b"\\x01" + nonce (12 random bytes) +
ciphertext and tag``. The associated data binds it to the firm, table, record
id, field and key version, so a ciphertext copied to another row, field or firm
fails authentication instead of decrypting.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.canonical import canonical_json
from storage.errors import DecryptionError, KeyConfigurationError

logger = logging.getLogger(__name__)

FORMAT_VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_FILE_NAME = "master.key"


def decode_master_key(encoded: str, name: str = "ENCRYPTION_KEY") -> bytes:
    """Decode a master key (standard or URL-safe base64) and check its length.

    The accepted forms match ``runtime.config.decode_encryption_key``.
    """
    text = encoded.strip().replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigurationError(
            f"{name} is not valid base64; generate a key with "
            "`python -m storage generate-key`."
        ) from None
    if len(key) != KEY_BYTES:
        raise KeyConfigurationError(
            f"{name} must decode to {KEY_BYTES} bytes for AES-256, got {len(key)}."
        )
    return key


def generate_master_key() -> str:
    """Return a new random master key, base64-encoded."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def master_key_id(key: bytes) -> str:
    """Return a 16-hex-digit identifier of ``key`` that reveals nothing about it."""
    return hmac.new(key, b"icara master key id", hashlib.sha256).hexdigest()[:16]


def load_or_create_key_file(data_dir: Path) -> bytes:
    """Read ``<data_dir>/master.key``, creating it with mode 0600 if missing.

    Only for the embedded development default: a key beside the data protects
    against little, so a warning is logged every time it is used.
    """
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(generate_master_key() + "\n")
        logger.warning("Generated a new master key file at %s", path)
    logger.warning(
        "ENCRYPTION_KEY is unset; using the key file %s. Set ENCRYPTION_KEY from a "
        "secret store for any real data.",
        path,
    )
    return decode_master_key(path.read_text(), name=str(path))


class MasterKeyRing:
    """The current master key plus older ones still accepted for unwrapping.

    Older keys let processes keep reading while ``rotate-keys`` re-wraps the
    data keys. New wrapping always uses the current key.
    """

    def __init__(self, current: bytes, previous: Iterable[bytes] = ()) -> None:
        self.current = current
        self.current_id = master_key_id(current)
        self._keys = {self.current_id: current}
        for key in previous:
            self._keys.setdefault(master_key_id(key), key)

    def known_ids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def wrap(self, data_key: bytes, firm_id: int, version: int) -> bytes:
        """Encrypt a data key under the current master key."""
        nonce = os.urandom(NONCE_BYTES)
        aad = _data_key_aad(firm_id, version)
        return (
            FORMAT_VERSION + nonce + AESGCM(self.current).encrypt(nonce, data_key, aad)
        )

    def unwrap(self, wrapped: bytes, firm_id: int, version: int, key_id: str) -> bytes:
        """Decrypt a data key, raising ``KeyConfigurationError`` on a wrong key."""
        key = self._keys.get(key_id)
        if key is None:
            raise KeyConfigurationError(
                f"Data key {version} of firm {firm_id} is wrapped by master key "
                f"{key_id}, but the configured keys are {sorted(self._keys)}. "
                "Set ENCRYPTION_KEY (or ENCRYPTION_KEY_PREVIOUS) to that key."
            )
        try:
            return _open(key, wrapped, _data_key_aad(firm_id, version))
        except InvalidTag:
            raise KeyConfigurationError(
                f"Data key {version} of firm {firm_id} failed authentication under "
                f"master key {key_id}: the wrapped key was changed."
            ) from None


def _data_key_aad(firm_id: int, version: int) -> bytes:
    return f"icara/data-key/firm={firm_id}/version={version}".encode()


def field_aad(
    firm_id: int, table: str, record_id: int, field: str, version: int
) -> bytes:
    """Return the associated data that binds a field's ciphertext to its place."""
    return (
        f"icara/field/firm={firm_id}/table={table}/id={record_id}"
        f"/field={field}/key={version}"
    ).encode()


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_VERSION:
        raise InvalidTag()
    nonce = blob[1 : 1 + NONCE_BYTES]
    return AESGCM(key).decrypt(nonce, blob[1 + NONCE_BYTES :], aad)


def encrypt_bytes(data_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt ``plaintext`` with a fresh random nonce."""
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_VERSION + nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)


def encrypt_json(
    data_key: bytes,
    value: Any,
    *,
    firm_id: int,
    table: str,
    record_id: int,
    field: str,
    version: int,
) -> bytes:
    """Encrypt the canonical JSON of ``value`` for one field of one record."""
    aad = field_aad(firm_id, table, record_id, field, version)
    return encrypt_bytes(data_key, canonical_json(value).encode("utf-8"), aad)


def decrypt_json(
    data_key: bytes,
    blob: bytes,
    *,
    firm_id: int,
    table: str,
    record_id: int,
    field: str,
    version: int,
) -> Any:
    """Decrypt one field, raising ``DecryptionError`` naming the record on failure."""
    aad = field_aad(firm_id, table, record_id, field, version)
    try:
        plaintext = _open(data_key, bytes(blob), aad)
    except InvalidTag:
        raise DecryptionError(
            f"Could not decrypt {table}.{field} of record {record_id} (firm "
            f"{firm_id}, data key {version}): the ciphertext was changed or the "
            "key is wrong."
        ) from None
    return json.loads(plaintext)


def cache_key_digest(data_key: bytes, material: str) -> str:
    """Return an HMAC-SHA256 of ``material`` under a key derived from ``data_key``.

    A keyed hash keeps cache keys from revealing low-entropy inputs to anyone
    who can list the cache, which a plain SHA-256 would allow by guessing.
    """
    derived = hmac.new(data_key, b"icara cache key", hashlib.sha256).digest()
    return hmac.new(derived, material.encode("utf-8"), hashlib.sha256).hexdigest()
