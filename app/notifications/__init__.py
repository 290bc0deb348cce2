"""In-app notifications (the inbox) and the sender seam for email/SMS/Zalo."""
