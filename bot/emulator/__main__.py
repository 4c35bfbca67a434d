"""``python -m bot.emulator``: run the Bot API emulator standalone."""

import sys

from bot.emulator.server import main

sys.exit(main())
