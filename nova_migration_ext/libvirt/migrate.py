#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""Live-migrate a libvirt domain only with a flag set that passed validation.

A set the helper knows to be wrong never reaches libvirt; a refusal by
libvirt itself comes back as one error naming the flags, not as a bare
``libvirt.libvirtError``.
"""

from nova_migration_ext.libvirt import expression
from nova_migration_ext.libvirt import validation


class MigrationError(Exception):
    """A migration that did not happen; ``mask`` is the flag set used."""

    def __init__(self, message, mask):
        super().__init__(message)
        self.mask = mask


class FlagSetRejected(MigrationError):
    """The helper refused the flag set; libvirt was not called.

    ``findings`` holds the errors.
    """

    def __init__(self, message, mask, findings):
        super().__init__(message, mask)
        self.findings = findings


class MigrationFailed(MigrationError):
    """libvirt refused or failed the migration.

    ``libvirt_message`` and ``libvirt_code`` are what libvirt said.
    """

    def __init__(self, message, mask, libvirt_message, libvirt_code):
        super().__init__(message, mask)
        self.libvirt_message = libvirt_message
        self.libvirt_code = libvirt_code


def migrate_live(domain, dest_uri, mask, params=None, block=False):
    """Live-migrate ``domain`` with ``mask`` once it passes validation.

    ``migrateToURI3`` runs on the source daemon, which opens ``dest_uri``;
    ``mask`` is an int or a flag expression.

    :param params: ``VIR_MIGRATE_PARAM_*`` typed parameters.
    :param block: validate ``mask`` as a block-migration set.
    :returns: the warnings ``validate`` found.
    :raises FlagError: ``mask`` is no valid flag expression.
    :raises FlagSetRejected: ``validate`` found errors; libvirt not called.
    :raises MigrationFailed: libvirt raised ``libvirtError``.
    """
    mask = expression.parse(mask)
    findings = validation.validate(mask, block=block)
    errors = validation.errors(findings)
    if errors:
        raise FlagSetRejected(
            'refusing to migrate with %s: %s'
            % (expression.describe(mask),
               '; '.join('%s (%s)' % (error.message, error.reason)
                         for error in errors)),
            mask, errors)

    import libvirt

    try:
        domain.migrateToURI3(dest_uri, dict(params or {}), mask)
    except libvirt.libvirtError as exc:
        raise MigrationFailed(
            'libvirt could not migrate guest %r to %s with %s: %s'
            % (domain.name(), dest_uri, expression.describe(mask), exc),
            mask, str(exc), exc.get_error_code()) from exc
    return validation.warnings(findings)
