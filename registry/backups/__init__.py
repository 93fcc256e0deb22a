"""Backups and restores of the whole database (`registry backup`, `registry restore`)."""
