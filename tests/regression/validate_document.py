"""Validates one comparison document against results/comparison.schema.json.

usage: /usr/bin/python3 validate_document.py SCHEMA DOCUMENT
Exits 0 when valid; prints every violation and exits 1 otherwise.
"""
import json
import sys

import jsonschema


def main():
    schema_path, document_path = sys.argv[1:3]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(document_path, encoding="utf-8") as f:
        document = json.load(f)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    for error in errors:
        print(f"{document_path}: {'/'.join(map(str, error.path))}: {error.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
