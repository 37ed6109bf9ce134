"""Messages, to-do list, reminders (催交) and delivery channels (manual 7.2, MSG-1..4)."""

MANIFEST = {"name": "messaging", "version": "0.1.0", "depends": [], "title": "消息中心"}
