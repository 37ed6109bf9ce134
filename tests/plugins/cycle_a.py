MANIFEST = {"name": "cycle_a", "version": "1", "depends": ["cycle_b"]}
