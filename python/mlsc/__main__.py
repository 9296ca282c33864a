"""``python -m mlsc`` and the ``mlsc`` console script: the mlsc command, run in this process.

One wheel cannot carry both a PyO3 extension and a separate executable, so the command is the same Rust code as the
cargo-built binary (``mlsc::run``), called through the extension: the same output and the same exit statuses
(0 clean, 1 findings at or above ``--fail-on``, 2 usage or I/O error).
"""

from __future__ import annotations

import signal
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    """Run ``mlsc`` with ``argv`` (by default the process's arguments) and return its exit status (the console
    script passes it to ``sys.exit``)."""
    from . import _native

    args = sys.argv[1:] if argv is None else list(argv)
    # Ctrl-C: while Rust works the interpreter cannot run its KeyboardInterrupt handler, so restore the default
    # action and let SIGINT end the process at once, as it ends the native binary. A closed pipe needs nothing:
    # Python, like Rust, ignores SIGPIPE, so a write to a closed stdout fails with EPIPE and mlsc exits 0.
    if hasattr(signal, "SIGINT"):
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        except ValueError:  # not the main thread: leave Python's handler
            pass
    # Anything Python buffered must come out before Rust writes to the same file descriptors.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    return int(_native.run_cli(["mlsc", *args]))


if __name__ == "__main__":
    sys.exit(main())
