"""Field encryption: round trip, tamper detection, binding and wrong keys."""

from __future__ import annotations

import base64
import os
import stat

import pytest
import sqlalchemy as sa
from storage_helpers import sample_result, settings_for

from storage.crypto import (
    MasterKeyRing,
    decode_master_key,
    decrypt_json,
    encrypt_json,
    generate_master_key,
)
from storage.errors import DecryptionError, KeyConfigurationError
from storage.store import Store

PLACE = {"firm_id": 3, "table": "calculations", "record_id": 41, "field": "result"}


def test_field_round_trip():
    data_key = os.urandom(32)
    value = {"value": 1234.5, "nested": [1, 2, {"a": "b"}]}
    blob = encrypt_json(data_key, value, version=1, **PLACE)
    assert decrypt_json(data_key, blob, version=1, **PLACE) == value


def test_fresh_nonce_each_time():
    data_key = os.urandom(32)
    first = encrypt_json(data_key, {"x": 1}, version=1, **PLACE)
    second = encrypt_json(data_key, {"x": 1}, version=1, **PLACE)
    assert first != second
    assert first[1:13] != second[1:13]


@pytest.mark.parametrize(
    "changed",
    [
        {"firm_id": 4},
        {"table": "scenarios"},
        {"record_id": 42},
        {"field": "inputs"},
    ],
)
def test_ciphertext_bound_to_place(changed):
    data_key = os.urandom(32)
    blob = encrypt_json(data_key, {"x": 1}, version=1, **PLACE)
    with pytest.raises(DecryptionError):
        decrypt_json(data_key, blob, version=1, **{**PLACE, **changed})


def test_ciphertext_bound_to_key_version():
    data_key = os.urandom(32)
    blob = encrypt_json(data_key, {"x": 1}, version=1, **PLACE)
    with pytest.raises(DecryptionError):
        decrypt_json(data_key, blob, version=2, **PLACE)


def test_wrong_data_key_names_record():
    blob = encrypt_json(os.urandom(32), {"x": 1}, version=1, **PLACE)
    with pytest.raises(DecryptionError, match="calculations.result of record 41"):
        decrypt_json(os.urandom(32), blob, version=1, **PLACE)


def test_master_key_decoding():
    key = os.urandom(32)
    standard = base64.b64encode(key).decode()
    url_safe = base64.urlsafe_b64encode(key).decode().rstrip("=")
    assert decode_master_key(standard) == key
    assert decode_master_key(url_safe) == key
    with pytest.raises(KeyConfigurationError, match="32 bytes"):
        decode_master_key(base64.b64encode(os.urandom(16)).decode())
    with pytest.raises(KeyConfigurationError, match="not valid base64"):
        decode_master_key("not base64 at all!")


def test_unwrap_with_wrong_master_key():
    data_key = os.urandom(32)
    ring = MasterKeyRing(os.urandom(32))
    wrapped = ring.wrap(data_key, 1, 1)
    assert ring.unwrap(wrapped, 1, 1, ring.current_id) == data_key
    other = MasterKeyRing(os.urandom(32))
    with pytest.raises(KeyConfigurationError, match="wrapped by master key"):
        other.unwrap(wrapped, 1, 1, ring.current_id)


def test_flipped_byte_raises(sqlite_store, admin):
    firm = sqlite_store.create_firm(admin, "Flip Ltd")
    record_id = sqlite_store.save_calculation(
        admin, firm.id, "k_aum", {"aum": 1.0}, sample_result(10.0)
    )
    with sqlite_store.db.engine.begin() as connection:
        blob = bytearray(
            connection.scalar(
                sa.text("select result_ciphertext from calculations where id = :id"),
                {"id": record_id},
            )
        )
        blob[20] ^= 0x01
        connection.execute(
            sa.text("update calculations set result_ciphertext = :b where id = :id"),
            {"b": bytes(blob), "id": record_id},
        )
    with pytest.raises(
        DecryptionError, match=f"calculations.result of record {record_id}"
    ):
        sqlite_store.load_calculation(admin, firm.id, record_id)


def test_swapped_ciphertexts_raise(sqlite_store, admin):
    firm = sqlite_store.create_firm(admin, "Swap Ltd")
    first = sqlite_store.save_calculation(
        admin, firm.id, "k_aum", {"aum": 1.0}, sample_result(1.0)
    )
    second = sqlite_store.save_calculation(
        admin, firm.id, "k_aum", {"aum": 2.0}, sample_result(2.0)
    )
    with sqlite_store.db.engine.begin() as connection:
        blob = connection.scalar(
            sa.text("select result_ciphertext from calculations where id = :id"),
            {"id": first},
        )
        connection.execute(
            sa.text("update calculations set result_ciphertext = :b where id = :id"),
            {"b": blob, "id": second},
        )
    with pytest.raises(DecryptionError):
        sqlite_store.load_calculation(admin, firm.id, second)


def test_wrong_master_key_rejected_at_start(tmp_path, master_key, admin):
    store = Store(settings_for(tmp_path, None, master_key))
    store.create_firm(admin, "Key Ltd")
    store.close()
    with pytest.raises(KeyConfigurationError, match="ENCRYPTION_KEY"):
        Store(settings_for(tmp_path, None, generate_master_key()))


def test_key_file_created_private(tmp_path, admin, caplog):
    store = Store(settings_for(tmp_path, None, None))
    store.create_firm(admin, "File Key Ltd")
    store.close()
    key_file = tmp_path / "master.key"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "ENCRYPTION_KEY is unset" in caplog.text
    reopened = Store(settings_for(tmp_path, None, None))
    assert [firm.name for firm in reopened.list_firms(admin)] == ["File Key Ltd"]
    reopened.close()


def test_production_without_key_refused(tmp_path):
    from runtime.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="ENCRYPTION_KEY"):
        settings_for(tmp_path, None, None, ICARA_ENV="production")
