"""Reusable step components: submission & review, talk, publicity. Each is configured per
use (which stage, step, document kind, titles) by the stage plugin that uses it."""
