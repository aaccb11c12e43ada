"""Alembic migrations of the IB Desktop schema.

``HEAD_REVISION`` lets the app see without loading Alembic whether a database is up to date;
a test checks it against the scripts in ``versions/``.
"""

HEAD_REVISION = "0025"
KNOWN_REVISIONS = frozenset(
    {"0001", "0003", "0004", "0005", "0010", "0011", "0020", "0021", "0022", "0023", "0024"}
    | {"0025", "0026"}
)
