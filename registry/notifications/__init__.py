"""Notifications: emails queued in an outbox table with the caller's transaction, delivered
afterwards by a pluggable sender (SMTP when configured, the log otherwise)."""
