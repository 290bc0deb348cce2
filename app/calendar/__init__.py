"""The member's calendar: meetings of their unit, personal items, and a private iCalendar feed."""
