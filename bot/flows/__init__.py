"""Use cases: one function per thing a member does, free of Slack payloads (listeners call them)."""
