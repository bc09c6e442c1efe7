# Nova's functional fixtures expect the process to be monkey patched before
# anything else is imported, as nova/tests/functional/__init__.py does.
import nova.monkey_patch  # noqa: F401,I100

nova.monkey_patch.patch()
