"""Audio bulletins (issue 15): a unit's bulletin, its audience, its audio and podcast feeds."""
