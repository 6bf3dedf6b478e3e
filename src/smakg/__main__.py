"""`python -m smakg`: the command line."""

from smakg.cli import main

if __name__ == "__main__":
    main()
