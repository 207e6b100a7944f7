"""The Atlas generator: data/ (YAML records) → validated Site → Markdown pages for docs/en and docs/zh.

Modules: yamlio (safe YAML reading with line numbers), schema (JSON Schema validation), records (load + cross-check
the whole data set), render (pure rendering), generate and validate (the command-line entry points), hooks (thin
MkDocs glue). Only the command-line entry points exit.
"""
