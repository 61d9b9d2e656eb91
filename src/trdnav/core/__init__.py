"""The pure clinical core.

Everything here takes plain values and an explicit ``as_of`` date and returns plain values.
It imports nothing from Django, the database, the network or the clock; a test enforces it.
"""
