"""Parley's coaching engine: the negotiation thinking, kept pure.

Nothing here talks to Slack, a database or the network, reads the clock or touches files other than
its own packaged playbook. The bot and storage layers pass in what they know (including *now*), so
every rule here can be tested in isolation and reasoned about on paper.
"""
