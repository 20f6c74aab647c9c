"""Who is acting. Until sign-in exists, the app acts as one anonymous user.

This is the one place that binds audit-log entries to a person.
"""

ANONYMOUS_ACTOR = "app"


def current_actor() -> str:
    """The name written to the audit log for changes made in this session."""
    return ANONYMOUS_ACTOR
