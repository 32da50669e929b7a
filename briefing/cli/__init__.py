"""The command line: the only stage that parses arguments, prints and picks exit codes.

``commands`` holds the click commands; ``output`` the terminal printers; ``watch`` the
rebuild-on-save loop; ``scaffold`` ``init`` and ``new``; ``entry`` the process's ``main``.
"""

from briefing.cli.commands import cli
from briefing.cli.entry import main

__all__ = ["cli", "main"]
