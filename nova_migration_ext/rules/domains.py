"""Domains a move must not leave (migration domains, shared storage)."""

from nova_migration_ext import verdict


def _names(domains):
    return ','.join(sorted(domains))


def must_share(what, source, destination):
    """A source in one or more domains needs a destination in one of them.

    A source in no domain is unconstrained.
    """
    if not source or source & destination:
        return verdict.PASS
    if not destination:
        return verdict.reject('%s: none, source in %s'
                              % (what, _names(source)))
    return verdict.reject('%s %s, source in %s'
                          % (what, _names(destination), _names(source)))
