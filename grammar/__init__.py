"""The legacy prompt grammar, shipped inside the wheel as ``transcript._grammar``."""
