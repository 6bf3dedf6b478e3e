"""`python -m smakg` and the `smakg` console script: the command line, with Ctrl-C answered by one line and exit
130 wherever it lands, even while the libraries are still being imported."""

import signal
import sys

from smakg.errors import EXIT_INTERRUPTED, INTERRUPTED


def main() -> None:
    """Entry point: import and run the CLI; an interrupt at any moment exits 130 with one line."""
    code: int | str | None = 0
    try:
        from smakg.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        code = EXIT_INTERRUPTED
    except SystemExit as exc:
        code = exc.code
    # The command is done (its output written, its release switched or not): a Ctrl-C from here on, while Python
    # shuts down, changes nothing, so it is ignored rather than allowed to kill the process with a signal status.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    main()
