"""Templates are data, not code: the sandbox refuses anything that reaches into Python (STYLE.md 11)."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from templates.render import environment


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ mention.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ ids.__class__ }}",
        "{{ (1).__class__.__base__ }}",
        "{{ lipsum.__code__ }}",
        "{{ ''.format.__globals__ }}",
        "{% set x = [] %}{{ x.append(1) }}",
        "{% set d = {} %}{{ d.update({'a': 1}) }}",
    ],
)
def test_the_sandbox_refuses_code_execution(source: str) -> None:
    with pytest.raises(SecurityError):
        environment().from_string(source).render()


def test_str_format_is_sandboxed_too() -> None:
    with pytest.raises(SecurityError):
        environment().from_string("{{ '{0.__class__}'.format(v) }}").render(v="x")
