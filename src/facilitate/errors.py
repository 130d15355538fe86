"""Errors a user can cause and fix: the CLI shows them as one line and exits 2."""

from __future__ import annotations


class UserError(Exception):
    """Base for problems with what the user asked for, not bugs."""


class SessionError(UserError):
    """A session that cannot be found, opened or controlled; the message says why."""
