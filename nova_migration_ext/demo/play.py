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

"""Run the demo cloud outside a test runner and report in one line."""

import contextlib
import logging

import testtools


class _Outcome(testtools.TestResult):
    """Keeps the last line of the first traceback: what went wrong."""

    def __init__(self):
        super().__init__()
        self.failure = None

    def addError(self, test, err=None, details=None):
        if self.failure is None:
            self.failure = _last_line(err, details)

    addFailure = addError


def _last_line(err, details):
    if err is not None:
        return '%s: %s' % (err[0].__name__, err[1])
    for name, content in sorted((details or {}).items()):
        if name.startswith('traceback'):
            lines = [line for line in content.as_text().splitlines()
                     if line.strip()]
            if lines:
                return lines[-1]
    return 'the demo failed'


def run(out):
    """Play the demo, writing to ``out``; what went wrong, or None."""
    def demo():
        from nova_migration_ext.demo import cloud
        case = cloud.DemoCloud('play')
        case.out = out
        return case

    return run_case(demo)


def run_case(make_case):
    """Run the test case ``make_case()`` returns, which embeds Nova, with
    Nova's logs kept off the terminal; what went wrong, or None.
    """
    with _logs_off_the_terminal():
        case = make_case()
        # Importing nova.test has just sent oslo.log to stdout.
        _discard_logs()
        outcome = _Outcome()
        case.run(outcome)
    return outcome.failure


@contextlib.contextmanager
def _logs_off_the_terminal():
    """Nova's fixtures capture its logs while the cloud runs; the rest
    (monkey patching on import, thread pools stopping after the fixtures
    are gone) goes nowhere either.
    """
    root = logging.getLogger()
    saved = root.handlers[:]
    _discard_logs()
    try:
        yield
    finally:
        root.handlers[:] = saved


def _discard_logs():
    logging.getLogger().handlers[:] = [logging.NullHandler()]
