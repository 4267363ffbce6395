"""Notifications: messages to UMKM and officers by e-mail and WhatsApp, through an outbox."""
