"""Glue and EventBridge both ways: Glue's events on the default bus (emission), workflows as rule targets
with event batching (batches), and AWS's cron schedules (cron)."""
