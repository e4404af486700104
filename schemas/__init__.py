"""The JSON Schemas, shipped inside the wheel as ``transcript._schemas``."""
