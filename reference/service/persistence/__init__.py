"""Durable state of the reference service: tables, codecs and the one transaction per message."""
