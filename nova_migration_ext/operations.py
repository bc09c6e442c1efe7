"""What a scheduling request is doing: a boot or one kind of move."""

BOOT = 'boot'
LIVE = 'live'
COLD = 'cold'
RESIZE = 'resize'
EVACUATE = 'evacuate'
UNSHELVE = 'unshelve'

ALL = (BOOT, LIVE, COLD, RESIZE, EVACUATE, UNSHELVE)

# Moves that leave a source host behind; a boot and an unshelve have none.
WITH_SOURCE = frozenset((LIVE, COLD, RESIZE, EVACUATE))

DESCRIPTION = {
    BOOT: 'boot',
    LIVE: 'live migration',
    COLD: 'cold migration',
    RESIZE: 'resize',
    EVACUATE: 'evacuate',
    UNSHELVE: 'unshelve',
}
