"""Distribution: who receives which briefing, controlled copies, delivery, the log, packs.

Stage above ``publish`` (it calls the build, then reads ``dist/``); below ``cli``.
The contract is ``distribution-format.md``; docs/distribution.md is the manual.
"""
