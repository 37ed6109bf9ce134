"""The development engine: records, stages and steps, transitions, timeline, components."""
