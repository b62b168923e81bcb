"""leases (the one instance that sends the bot's own traffic), the group outbox, poll claims

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'leases',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('expires_at', storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    op.create_table(
        'group_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('html', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('buttons', sa.JSON(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
        sa.Column('claim', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('claimed_until', storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('group_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_outbox_chat_id'), ['chat_id'], unique=False)
    with op.batch_alter_table('group_polls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('group_polls', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
    with op.batch_alter_table('group_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_outbox_chat_id'))
    op.drop_table('group_outbox')
    op.drop_table('leases')
