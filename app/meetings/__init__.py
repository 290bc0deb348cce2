"""Meetings (sinh hoạt chi bộ): notice, agenda, attendance with quorum, comments, reminders."""
