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
"""Sphinx configuration of the nova-migration-ext documentation."""

extensions = [
    'openstackdocstheme',
    # `.. show-options:: nova_migration_ext` renders every [migration_ext]
    # option from the oslo.config.opts entry point, so the reference cannot
    # fall behind conf.py.
    'oslo_config.sphinxext',
]

project = 'nova-migration-ext'
copyright = '2026, nova-migration-ext developers'

openstackdocs_repo_name = 'x/nova-migration-ext'
openstackdocs_bug_project = 'nova-migration-ext'
openstackdocs_bug_tag = 'doc'
openstackdocs_auto_name = False

master_doc = 'index'
source_suffix = '.rst'
exclude_patterns = []
pygments_style = 'native'

html_theme = 'openstackdocs'
html_static_path = []
