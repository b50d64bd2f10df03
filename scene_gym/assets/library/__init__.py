"""Built-in asset programs. Importing this package registers every category.

One module per family of objects (tables, seating, storage, kitchen appliances, tableware, decor...); every
module in this package is imported, so a new family only needs a new file. Programs share the building blocks
in :mod:`scene_gym.assets.library.blocks`.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
