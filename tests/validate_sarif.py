#!/usr/bin/python3
"""Validates SARIF files against the official SARIF 2.1.0 JSON schema.

usage: validate_sarif.py SCHEMA FILE...
Uses Debian's python3-jsonschema; exits 1 on the first invalid file.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    status = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:10]:
            print(f"{path}: {'/'.join(str(p) for p in e.path)}: {e.message}", file=sys.stderr)
        if errors:
            status = 1
        else:
            print(f"{path}: valid SARIF 2.1.0")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
