"""The weekly digests, all in one place: build (who gets which digest, built from one load per
workspace), requests (``/negotiate digest``'s use cases), schedule (when, in whose time zone), index
(the loaded sums), content (the templates' contexts: the presenter), chart (PNG), upload (Slack's
file flow: the notifier), job (the clock's weekly job) and export (``parley export``)."""
