"""TRD Navigator: a self-hostable clinical system for treatment-resistant depression."""

__version__ = "0.1.0"
