"""Reading numbers reported by hosts without trusting them."""

import math


def as_number(value):
    """A finite int or float, or None for anything else (None, text, NaN)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def mb(value):
    """Format a MiB quantity for a reason string."""
    if isinstance(value, float) and not value.is_integer():
        return '%.1f MB' % value
    return '%d MB' % value
