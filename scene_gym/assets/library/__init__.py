"""Built-in asset programs. Importing this package registers every category.

One module per family of objects (tables, seating, storage, kitchen appliances, tableware, decor...).
Programs share the building blocks in :mod:`scene_gym.assets.library.blocks`.
"""

from scene_gym.assets.library import storage, tables, tableware  # noqa: F401
