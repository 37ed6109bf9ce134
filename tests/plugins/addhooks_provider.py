"""Publishes its own hook spec through xf_addhooks; addhooks_user implements it."""

from core.hookspecs import hookimpl, hookspec

MANIFEST = {"name": "addhooks_provider", "version": "1", "depends": []}


class Specs:
    @hookspec
    def xf_greeting(self) -> str:
        """A hook published by a plugin."""


@hookimpl
def xf_addhooks(pm):
    pm.add_hookspecs(Specs)
