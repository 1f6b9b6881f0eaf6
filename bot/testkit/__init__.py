"""Test apparatus: for the test suite, the benchmarks and the playground — never for serving Slack.

- ``fake_slack``: a strict fake Slack Web API on a local port, configured from Parley's manifest.
- ``requests``: signed request builders (slash commands, actions, view submissions, events).
- ``blockkit``: Block Kit rules the fake (and the template tests) check payloads against, written from
  Slack's reference and never imported from ``templates/``, so one misreading cannot pass both sides.

It ships in the wheel only because ``parley demo`` (``bot/playground``) runs Parley against the fake.
Production modules never import it (``tests/foundation/test_layers.py`` checks both directions).
"""
