"""Errors raised by the storage layer.

Every storage error derives from ``StorageError`` so that callers can catch the
whole family in one place. Messages name the record or setting involved and the
fix, and never contain keys, passwords or client figures.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every error raised by ``storage``."""


class AccessDenied(StorageError):
    """The actor lacks the role or firm membership that the operation requires."""


class NotFound(StorageError):
    """A record does not exist, or exists in a firm the actor cannot see."""


class InvalidInput(StorageError, ValueError):
    """An invalid argument, named in the message together with its value."""


class DecryptionError(StorageError):
    """A ciphertext failed authentication: wrong key or changed bytes.

    The message names the table, record id and field, so the damaged record can
    be found. No partial or empty plaintext is ever returned in its place.
    """


class DatabaseUnavailable(StorageError):
    """The database refused or dropped a connection, or timed out.

    The transaction was rolled back, unless the connection failed during the
    commit itself, so the caller may retry.
    """


class KeyConfigurationError(StorageError):
    """The master key is missing, malformed or does not match the database."""


class MigrationRequired(StorageError):
    """The database schema is not at the newest migration."""


class AuditLogError(StorageError):
    """The audit log could not be written or purged."""


class BackupError(StorageError):
    """A backup is incomplete, damaged, or cannot be restored into the target."""
