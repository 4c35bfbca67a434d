"""``python -m botapi_emulator``: run the Bot API emulator standalone."""

import sys

from botapi_emulator.server import main

sys.exit(main())
