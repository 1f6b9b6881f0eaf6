"""The weekly digests' machinery: schedule (when, in whose time zone), index (the loaded sums),
content (template contexts), chart (PNG), upload (Slack's file flow) and export (``parley export``).
The use cases are in :mod:`bot.flows.digests`; the weekly job in :mod:`bot.scheduler.digests`."""
