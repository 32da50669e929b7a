"""briefing: YAML sources in, print-ready PDF briefings out.

The pipeline, one module per stage: ``load`` (YAML → ``Briefing``), ``pdf``
(``Briefing`` → PDF bytes), ``build`` (many sources → ``dist/`` with a manifest).
"""

__version__ = "0.1.0"
