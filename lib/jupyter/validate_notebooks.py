"""Validates notebooks against nbformat's schema, treating every warning (a missing cell id) as a failure.

Usage: /usr/bin/python3 validate_notebooks.py NOTEBOOK...
"""
import sys
import warnings

import nbformat


def main():
    failures = []
    for path in sys.argv[1:]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                with open(path, encoding="utf-8") as file:
                    notebook = nbformat.reads(file.read(), as_version=nbformat.NO_CONVERT)
                nbformat.validate(notebook)
                if (notebook.nbformat, notebook.nbformat_minor) < (4, 5):
                    raise ValueError(f"nbformat {notebook.nbformat}.{notebook.nbformat_minor}, not 4.5")
            except Exception as error:  # a warning raised as an error included
                failures.append(f"{path}: {type(error).__name__}: {error}")
    for failure in failures:
        print(failure)
    print(f"{len(sys.argv) - 1 - len(failures)} of {len(sys.argv) - 1} notebooks valid")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
