"""Lore's franchise files: one franchise as a documented, versioned JSON document (docs/FORMAT.md).

export_franchise() and render() write one; import_franchise() reads one back, checking all of it first
and writing it in one transaction or not at all.
"""
