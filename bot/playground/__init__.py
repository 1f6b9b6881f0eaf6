"""``parley demo``: the product running locally with a fake Slack and a page that behaves like Slack.

``demo`` wires the pieces (:class:`~bot.playground.demo.Playground`), ``slack_side`` plays Slack's part
of every interaction over signed HTTP, ``clock`` is the movable time and the ticking thread,
``seed`` the demo team and its history, ``server`` the page's web server; ``static/`` holds the page.
"""
