"""The faces: what people use the package through, the ``relu-guide`` CLI and the Sphinx glue."""
