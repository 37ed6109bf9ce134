MANIFEST = {"name": "broken_dep", "version": "1", "depends": ["no_such_plugin"]}
