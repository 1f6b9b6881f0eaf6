"""Outbox delivery: claiming due rows atomically, pacing to Slack's limits, one gateway for sending.

``Deliverer(services, SlackGateway(settings, engine)).deliver_due()`` sends what is due; the clock
process (``bot.scheduler``) and ``parley tick`` both call it. See ``worker.py`` for the guarantees.
"""
