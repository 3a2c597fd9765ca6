"""Encrypted, audited, firm-isolated storage for the ICARA dashboard.

Start with ``get_store()`` and pass an ``Actor`` to every call::

    store = get_store()
    actor = Actor.system("import")
    firm = store.create_firm(actor, "Example Capital LLP", frn="123456")
    calculation_id = store.save_calculation(actor, firm.id, "k_aum", inputs, result)

Login accounts and sessions are in ``storage.users``. ``docs/storage.md``
describes the schema, the encryption and the ``python -m storage`` commands.
"""

from storage.actor import Actor
from storage.errors import (
    AccessDenied,
    AuditLogError,
    BackupError,
    DatabaseUnavailable,
    DecryptionError,
    InvalidInput,
    KeyConfigurationError,
    MigrationRequired,
    NotFound,
    StorageError,
)
from storage.records import (
    AuditEntry,
    AuditVerification,
    CalculationRecord,
    CalculationSummary,
    DataKeyInfo,
    Dataset,
    DatasetSummary,
    Firm,
    LoginSession,
    OwnFundsSnapshot,
    ScenarioRecord,
    ScenarioSummary,
    StoreStatus,
    User,
)
from storage.registry import get_store, reset_stores
from storage.store import Store

__all__ = [
    "AccessDenied",
    "Actor",
    "AuditEntry",
    "AuditLogError",
    "AuditVerification",
    "BackupError",
    "CalculationRecord",
    "CalculationSummary",
    "DataKeyInfo",
    "DatabaseUnavailable",
    "Dataset",
    "DatasetSummary",
    "DecryptionError",
    "Firm",
    "InvalidInput",
    "KeyConfigurationError",
    "LoginSession",
    "MigrationRequired",
    "NotFound",
    "OwnFundsSnapshot",
    "ScenarioRecord",
    "ScenarioSummary",
    "Store",
    "StorageError",
    "StoreStatus",
    "User",
    "get_store",
    "reset_stores",
]
