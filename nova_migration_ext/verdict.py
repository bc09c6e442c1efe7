"""The outcome of one rule for one candidate host."""

import typing


class Verdict(typing.NamedTuple):
    """``ok`` is True (pass), False (reject) or None (cannot tell).

    ``reason`` names the values compared; it is the text logged by the
    filters and shown by ``explain``.
    """

    ok: typing.Optional[bool]
    reason: str = ''

    @property
    def unknown(self):
        return self.ok is None


# Shared so the common case allocates nothing on the scheduler's hot path.
PASS = Verdict(True)


def reject(reason):
    return Verdict(False, reason)


def unknown(reason):
    return Verdict(None, reason)


def resolve(verdict, on_unknown):
    """Turn a cannot-tell verdict into the configured pass or reject."""
    if verdict.ok is not None:
        return verdict
    return Verdict(on_unknown == 'pass',
                   '%s; on_lookup_error=%s' % (verdict.reason, on_unknown))
