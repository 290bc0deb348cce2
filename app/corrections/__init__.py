"""Self-service corrections: a member proposes a change to their profile, an officer decides."""
