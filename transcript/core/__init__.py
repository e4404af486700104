"""The ground floor: diagnostics, the rule registry, reading inputs, JSON text and pointers.

Nothing here knows the Messages protocol or any job; every other package builds on it.
"""
