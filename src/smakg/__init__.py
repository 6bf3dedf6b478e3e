"""smakg: the spinal muscular atrophy knowledge graph.

The version is written here and only here: pyproject.toml reads it (``[tool.setuptools.dynamic]``) and the
ontology header's ``owl:versionInfo`` must equal it (tests/test_vocab.py).
"""

__version__ = "0.1.0"
