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

"""Collect what Nova logs while one call runs, instead of printing it.

Nova's own filters say why they reject a host only in a debug line, and
the placement client reports a failed request only in a warning; explain
shows those lines as the reason.
"""

import contextlib
import logging
import threading


class _Collector(logging.Handler):

    def __init__(self, logger, messages):
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.messages = messages
        self.level_before = logger.getEffectiveLevel()
        self.parent = logger.parent

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(_message(record))
        elif record.levelno >= self.level_before:
            # Another thread of an embedding program (e.g. the demo's Nova
            # services) logs as it would have without us.
            self.parent.handle(record)


@contextlib.contextmanager
def captured(logger_name):
    """Yield a list that receives the messages ``logger_name`` and its
    children log from this thread, at any level, while the block runs.

    The records do not reach the process's other handlers meanwhile.
    """
    logger = logging.getLogger(logger_name)
    messages = []
    collector = _Collector(logger, messages)
    saved = logger.level, logger.propagate
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(collector)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _message(record):
    try:
        return record.getMessage()
    except Exception as exc:  # a malformed log call must not hide the rest
        return '%s (unformattable: %s)' % (record.msg, exc)
