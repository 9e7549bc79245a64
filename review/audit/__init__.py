"""The append-only audit trail: writing it, and reading it for administrators."""
