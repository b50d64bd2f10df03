"""``python -m scene_gym.cli``."""

import sys

from scene_gym.cli import main

sys.exit(main())
