"""Reusable step components, configured per use by the stage plugins that declare them on their
steps: review (submission & review), talk, publicity (on the cohort base), decision and date
steps, assignment, cultivation. Each ``*_kit.py`` holds what a component mounts (routes,
columns, actions, pages, to-dos); ``base.py`` says what a component may bring."""
