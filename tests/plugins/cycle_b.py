MANIFEST = {"name": "cycle_b", "version": "1", "depends": ["cycle_a"]}
