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
"""Check the built nova-migration-ext RPMs against the source tree.

Usage: check_rpm.py MAIN_RPM TEMPEST_RPM. Compares python3-nova-migration-ext
and python3-nova-migration-ext-tests-tempest with what the tree says they
must hold: every module, the entry points of setup.cfg and a module behind
each, the console script, the configuration files, and a Requires for every
runtime requirement. Prints each problem and exits 1 if there is any.
"""

import configparser
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
MODULE = 'nova_migration_ext'
SCRIPT = '/usr/bin/nova-migration-ext'
CONFIG = '/etc/nova/nova.conf.d/nova-migration-ext.conf'
SNIPPET = '/usr/share/nova-migration-ext/nova-migration-ext-scheduler.conf'


def rpm_query(rpm_file, *args):
    return subprocess.run(['rpm', '-qp'] + list(args) + [rpm_file],
                          check=True, capture_output=True,
                          text=True).stdout.splitlines()


def extract(rpm_file, into):
    cpio = subprocess.run(['rpm2cpio', rpm_file], check=True,
                          capture_output=True).stdout
    subprocess.run(['cpio', '-idm', '--quiet'], input=cpio, cwd=into,
                   check=True)


def source_modules(top, skip=('tests',)):
    """Module paths under ``top``, relative to the package's parent."""
    modules = set()
    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
        dirnames[:] = [d for d in dirnames
                       if d not in skip and d != '__pycache__']
        for name in filenames:
            if name.endswith('.py'):
                modules.add(os.path.relpath(os.path.join(dirpath, name),
                                            ROOT))
    return modules


def tempest_modules():
    return source_modules(os.path.join(MODULE, 'tests', 'tempest'), ()) | {
        os.path.join(MODULE, 'tests', '__init__.py')}


def module_file(sitelib, target):
    """The files that may hold the module of an entry point target."""
    path = os.path.join(sitelib, *target.split(':')[0].strip().split('.'))
    return (path + '.py', os.path.join(path, '__init__.py'))


def entry_points(path, section=None):
    """{group: {name: target}} from entry_points.txt or setup.cfg."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path)
    if section:
        return {group: dict(line.split(' = ', 1) for line in
                            filter(None, (x.strip() for x in
                                          value.splitlines())))
                for group, value in parser[section].items()}
    return {group: {name: target.strip()
                    for name, target in parser[group].items()}
            for group in parser.sections()}


def runtime_requirements():
    """(distribution, minimum version) of requirements.txt, and Nova's pin.

    Nova is left out of requirements.txt on purpose (the plugin runs inside
    an installed Nova) but the package must require it: its version comes
    from upper-constraints.txt.
    """
    found = []
    with open(os.path.join(ROOT, 'requirements.txt')) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            match = re.match(r'^([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)', line)
            if match:
                found.append(match.groups())
    with open(os.path.join(ROOT, 'upper-constraints.txt')) as f:
        for line in f:
            if line.startswith('nova=='):
                found.append(('nova', line.strip().split('==', 1)[1]))
    return found


def rdo_name(distribution):
    """RDO's package name: python3- and the name, dots as dashes."""
    return 'python3-' + distribution.lower().replace('.', '-')


def check(rpm_file, tempest_rpm):
    problems = []
    files = set(rpm_query(rpm_file, '--list'))
    tempest_files = set(rpm_query(tempest_rpm, '--list'))
    inits = [f for f in files if f.endswith('/%s/__init__.py' % MODULE)]
    if len(inits) != 1:
        return ['no %s/__init__.py in the package' % MODULE]
    sitelib = os.path.dirname(os.path.dirname(inits[0]))

    for package, modules, packaged in (
            (rpm_file, source_modules(MODULE), files),
            (tempest_rpm, tempest_modules(), tempest_files)):
        missing = sorted(m for m in modules
                         if os.path.join(sitelib, m) not in packaged)
        if missing:
            problems.append('%s lacks modules: %s'
                            % (os.path.basename(package), ', '.join(missing)))
    # Only the Tempest plugin of the tests is installed, in its own package.
    stray = sorted(f for f in files if '/%s/tests' % MODULE in f)
    stray += sorted(f for f in tempest_files if f.endswith('.py') and
                    os.path.relpath(f, sitelib) not in tempest_modules())
    if stray:
        problems.append('tests installed: %s' % ', '.join(stray[:3]))
    for path in (SCRIPT, CONFIG, SNIPPET):
        if path not in files:
            problems.append('%s missing' % path)

    flags = dict(line.rsplit(' ', 1) for line in rpm_query(
        rpm_file, '--qf', '[%{FILENAMES} %{FILEFLAGS:fflags}\n]'))
    if not set('cn') <= set(flags.get(CONFIG, '')):
        problems.append('%s is not %%config(noreplace): flags %r'
                        % (CONFIG, flags.get(CONFIG)))

    with tempfile.TemporaryDirectory() as tmp:
        extract(rpm_file, tmp)
        infos = [f for f in files if re.search(
            r'/%s-[^/]+\.(dist|egg)-info/entry_points\.txt$' % MODULE, f)]
        if len(infos) != 1:
            problems.append('no entry_points.txt in a %s dist-info' % MODULE)
        else:
            packaged = entry_points(tmp + infos[0])
            declared = entry_points(os.path.join(ROOT, 'setup.cfg'),
                                    'entry_points')
            if packaged != declared:
                problems.append('entry points %r differ from setup.cfg %r'
                                % (packaged, declared))
            for group, targets in packaged.items():
                for name, target in targets.items():
                    if not set(module_file(sitelib, target)) & (
                            files | tempest_files):
                        problems.append('entry point %s %s = %s: module '
                                        'not packaged' % (group, name, target))
        if SCRIPT in files:
            with open(tmp + SCRIPT) as f:
                script = f.read()
            if not script.startswith('#!/usr/bin/python3\n'):
                problems.append('%s starts with %r'
                                % (SCRIPT, script.splitlines()[0]))
            if 'from %s.cmd.main import main' % MODULE not in script:
                problems.append('%s does not run %s.cmd.main'
                                % (SCRIPT, MODULE))
        if CONFIG in files:
            with open(tmp + CONFIG) as packaged, open(os.path.join(
                    ROOT, 'etc', 'nova-migration-ext.conf.sample')) as sample:
                if packaged.read() != sample.read():
                    problems.append('%s is not etc/nova-migration-ext.conf'
                                    '.sample' % CONFIG)

    requires = set(rpm_query(rpm_file, '--requires'))
    for distribution, minimum in runtime_requirements():
        pattern = re.compile(r'^%s >= ([0-9]+:)?%s$' % (
            re.escape(rdo_name(distribution)), re.escape(minimum)))
        if not any(pattern.match(r) for r in requires):
            problems.append('no "Requires: %s >= %s" for %s>=%s'
                            % (rdo_name(distribution), minimum,
                               distribution, minimum))
    return problems


def main(argv):
    if len(argv) != 3:
        print('usage: check_rpm.py MAIN_RPM TEMPEST_RPM', file=sys.stderr)
        return 2
    problems = check(argv[1], argv[2])
    for problem in problems:
        print('RPM check failed: %s' % problem, file=sys.stderr)
    if not problems:
        print('RPM check passed: modules, entry points, console script, '
              'configuration, requirements, Tempest plugin')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
