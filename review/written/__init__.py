"""Written channels: WhatsApp chats and e-mails read, stored and timed like calls (issue 17)."""
