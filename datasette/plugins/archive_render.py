"""Datasette's row and facet listings rendered in one synchronous pass.

Datasette renders its templates in Jinja's async mode, where every piece of output — each
cell's class, value and tags — travels up a chain of async generators (the include, the
block, the page, base.html).  A table page of 20 reports × 27 columns is about 4,000 pieces:
most of its rendering time, on the one core a server process has.  `render_sync(name)`
renders a template that needs nothing asynchronous (no awaited callables) with a plain
environment over the same loaders, filters and globals, as one string: the same bytes, a
fraction of the time.  templates/_table.html and _facet_results.html hand Datasette's own
templates of those names to it.
"""
from __future__ import annotations

import jinja2
from datasette import hookimpl
from markupsafe import Markup


def plain_environment(env: jinja2.Environment) -> jinja2.Environment:
    """A synchronous copy of `env`: same loader, autoescaping, filters, tests and globals."""
    plain = jinja2.Environment(loader=env.loader, autoescape=env.autoescape,
                               auto_reload=env.auto_reload)
    plain.filters.update(env.filters)
    plain.tests.update(env.tests)
    plain.globals.update({k: v for k, v in env.globals.items() if k != "render_sync"})
    return plain


@hookimpl(trylast=True)
def prepare_jinja2_environment(env):
    # templates change only with a restart: no stat() of every template file on every page
    env.auto_reload = False
    plain = None

    @jinja2.pass_context
    def render_sync(context, name: str) -> Markup:
        nonlocal plain
        if plain is None:  # after every plugin's filters are in
            plain = plain_environment(env)
        return Markup(plain.get_template(name).render(context.get_all()))
    env.globals["render_sync"] = render_sync
