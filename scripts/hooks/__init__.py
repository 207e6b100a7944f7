"""Thin MkDocs hooks (listed in mkdocs.yml) and what they share (common.py)."""
