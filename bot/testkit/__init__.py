"""Test apparatus: for the test suite, the benchmarks and the playground — never for serving Slack.

- ``fake_slack``: a strict fake Slack Web API on a local port, configured from Parley's manifest.
- ``requests``: signed request builders (slash commands, actions, view submissions, events).
- ``blockkit``: Block Kit rules the fake (and the template tests) check payloads against, written from
  Slack's reference and never imported from ``templates/``, so one misreading cannot pass both sides.
  ``blockkit`` walks a message or view and is the only module callers import; beside it
  ``blockkit_limits`` (Slack's numbers), ``blockkit_rules`` (problems, the walk, the kinds of rule),
  ``blockkit_tables`` (each block and element type's rules) and ``blockkit_verdicts`` (cached verdicts,
  slack-sdk's second opinion).

It ships in the wheel only because ``parley demo`` (``bot/playground``) runs Parley against the fake.
Production modules never import it (``tests/foundation/test_layers.py`` checks both directions).
"""
