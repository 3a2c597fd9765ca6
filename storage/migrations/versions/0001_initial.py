"""Create the storage schema, with row-level security and audit protection.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64
FIRM_SCOPED_TABLES = (
    "data_keys",
    "calculations",
    "scenarios",
    "own_funds_snapshots",
    "datasets",
)


def _timestamp(name, nullable=False):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _created_by():
    return [
        _timestamp("created_at"),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(150), nullable=False),
    ]


def _firm_id():
    return sa.Column(
        "firm_id",
        sa.Integer(),
        sa.ForeignKey("firms.id", name=None),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "firms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("frn", sa.String(20), nullable=True),
        _timestamp("created_at"),
        sa.Column("created_by", sa.String(150), nullable=False),
    )
    op.create_table(
        "data_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        _firm_id(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_id", sa.String(16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        _timestamp("retired_at", nullable=True),
        sa.UniqueConstraint("firm_id", "version"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(150), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        _timestamp("locked_until", nullable=True),
        _timestamp("password_changed_at", nullable=True),
        _timestamp("last_login_at", nullable=True),
        _timestamp("created_at"),
    )
    op.create_table(
        "user_firms",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "firm_id", sa.Integer(), sa.ForeignKey("firms.id"), primary_key=True
        ),
    )
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _timestamp("created_at"),
        _timestamp("last_seen_at"),
        _timestamp("expires_at"),
        _timestamp("revoked_at", nullable=True),
        sa.Column("user_agent", sa.String(400), nullable=True),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), primary_key=True),
        _firm_id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("drivers_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("results_ciphertext", sa.LargeBinary(), nullable=False),
        *_created_by(),
    )
    op.create_table(
        "calculations",
        sa.Column("id", sa.Integer(), primary_key=True),
        _firm_id(),
        sa.Column("calculator", sa.String(64), nullable=False, index=True),
        sa.Column("calculator_version", sa.String(32), nullable=False),
        sa.Column("rules_version", sa.String(200), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column(
            "scenario_id",
            sa.Integer(),
            sa.ForeignKey("scenarios.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("inputs_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("result_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("headline_ciphertext", sa.LargeBinary(), nullable=False),
        *_created_by(),
    )
    op.create_index("ix_calculations_created_at", "calculations", ["created_at"])
    op.create_table(
        "own_funds_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        _firm_id(),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("figures_ciphertext", sa.LargeBinary(), nullable=False),
        *_created_by(),
    )
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer(), primary_key=True),
        _firm_id(),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("source_name", sa.String(300), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("records_ciphertext", sa.LargeBinary(), nullable=False),
        *_created_by(),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
        _timestamp("created_at"),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(150), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])
    op.create_index("ix_audit_log_firm_id", "audit_log", ["firm_id"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "last_id": 0, "last_hash": GENESIS_HASH}])
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("purged_through_id", sa.BigInteger(), nullable=False),
        sa.Column("anchor_hash", sa.String(64), nullable=False),
        sa.Column("rows_purged", sa.Integer(), nullable=False),
        _timestamp("cutoff"),
        _timestamp("created_at"),
        sa.Column("created_by", sa.String(150), nullable=False),
    )

    if op.get_bind().dialect.name == "postgresql":
        _postgres_security()
    else:
        _sqlite_audit_triggers()


def _postgres_security() -> None:
    # app.firm_ids is "*" for every firm or a comma-separated list of firm ids,
    # set per transaction by storage.database with set_config(..., true). The
    # CASE keeps PostgreSQL from casting "*" to integer[], which OR would not.
    op.execute(
        """
        create function icara_firm_visible(target integer) returns boolean
        language sql stable as $$
          select case coalesce(current_setting('app.firm_ids', true), '')
            when '*' then true
            when '' then false
            else target = any (
              string_to_array(current_setting('app.firm_ids', true), ',')::integer[]
            )
          end
        $$
        """
    )
    for table in FIRM_SCOPED_TABLES:
        op.execute(f"alter table {table} enable row level security")
        op.execute(f"alter table {table} force row level security")
        op.execute(
            f"create policy firm_isolation on {table} "
            "using (icara_firm_visible(firm_id)) "
            "with check (icara_firm_visible(firm_id))"
        )
    op.execute("alter table firms enable row level security")
    op.execute("alter table firms force row level security")
    op.execute(
        "create policy firm_isolation on firms "
        "using (icara_firm_visible(id)) with check (icara_firm_visible(id))"
    )
    op.execute("alter table audit_log enable row level security")
    op.execute("alter table audit_log force row level security")
    op.execute(
        "create policy audit_read on audit_log for select "
        "using (firm_id is null or icara_firm_visible(firm_id))"
    )
    op.execute(
        "create policy audit_append on audit_log for insert "
        "with check (firm_id is null or icara_firm_visible(firm_id))"
    )
    # Deletion is limited by grants (only the owner) and the trigger below.
    op.execute("create policy audit_purge on audit_log for delete using (true)")
    op.execute(
        """
        create function icara_audit_append_only() returns trigger
        language plpgsql as $$
        begin
          if tg_op = 'DELETE'
             and coalesce(current_setting('icara.audit_purge', true), '') = 'on' then
            return old;
          end if;
          raise exception 'audit_log is append-only: % is not allowed', tg_op
            using errcode = 'insufficient_privilege';
        end
        $$
        """
    )
    op.execute(
        "create trigger audit_log_append_only before update or delete on audit_log "
        "for each row execute function icara_audit_append_only()"
    )
    op.execute(
        "create trigger audit_log_no_truncate before truncate on audit_log "
        "for each statement execute function icara_audit_append_only()"
    )


def _sqlite_audit_triggers() -> None:
    op.execute(
        "create trigger audit_log_no_update before update on audit_log "
        "begin select raise(abort, 'audit_log is append-only: UPDATE is not allowed'); end"
    )
    op.execute(
        "create trigger audit_log_no_delete before delete on audit_log "
        "begin select raise(abort, 'audit_log is append-only: DELETE is not allowed'); end"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("drop trigger if exists audit_log_append_only on audit_log")
        op.execute("drop trigger if exists audit_log_no_truncate on audit_log")
    for table in (
        "audit_anchors",
        "audit_head",
        "audit_log",
        "datasets",
        "own_funds_snapshots",
        "calculations",
        "scenarios",
        "login_sessions",
        "user_firms",
        "users",
        "data_keys",
        "firms",
    ):
        op.drop_table(table)
    if bind.dialect.name == "postgresql":
        op.execute("drop function if exists icara_audit_append_only()")
        op.execute("drop function if exists icara_firm_visible(integer)")
