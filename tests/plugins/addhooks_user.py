from core.hookspecs import hookimpl

MANIFEST = {"name": "addhooks_user", "version": "1", "depends": ["addhooks_provider"]}


@hookimpl
def xf_greeting():
    return "你好"
