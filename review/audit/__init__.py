"""The append-only audit trail every service writes (reading it is in reporting.audit_log)."""
