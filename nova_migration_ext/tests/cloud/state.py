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
"""The cloud's state directory: data, configs, logs, pids and secrets.

``$CLOUD_STATE_DIR`` (tox sets ``.tox/cloud-state``). Secrets are
generated once, kept in a file only its owner reads, and never printed.
"""

import json
import os
import secrets

_SECRET_NAMES = ('admin', 'service', 'database', 'rabbitmq')


class State:

    def __init__(self, root=None):
        self.root = os.path.abspath(
            root or os.environ.get('CLOUD_STATE_DIR') or 'cloud-state')

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def dir(self, *parts):
        path = self.path(*parts)
        os.makedirs(path, mode=0o700, exist_ok=True)
        return path

    def log(self, name):
        return os.path.join(self.dir('logs'), name + '.log')

    def pid_file(self, name):
        return os.path.join(self.dir('pids'), name + '.pid')

    def conf(self, name):
        return os.path.join(self.dir('etc'), name)

    def done(self, step):
        """Whether a one-time step (a schema, a bootstrap) already ran."""
        return os.path.exists(self.path('done', step))

    def mark_done(self, step):
        with open(os.path.join(self.dir('done'), step), 'w'):
            pass

    def secrets(self):
        """{name: password}, created on first use with mode 0600."""
        path = self.path('secrets.json')
        if not os.path.exists(path):
            self.dir()
            values = {name: secrets.token_urlsafe(18)
                      for name in _SECRET_NAMES}
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, 'w') as f:
                json.dump(values, f)
        with open(path) as f:
            return json.load(f)
