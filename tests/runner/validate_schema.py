"""Validates synthetic documents against results/comparison.schema.json.

usage: validate_schema.py TOOL SCHEMA WORKDIR
Run with /usr/bin/python3 (Debian's python3-jsonschema), not a pyenv python.
"""
import json
import os
import subprocess
import sys

import jsonschema


def write(tool, workdir, name, *flags):
    path = os.path.join(workdir, name)
    subprocess.run([tool, "json", path, *flags], check=True)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    tool, schema_path, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    failures = 0
    for name, flags in [("plain.json", []), ("failing.json", ["--failing"]),
                        ("repetitions.json", ["--repetitions", "--failing"])]:
        errors = list(validator.iter_errors(write(tool, workdir, name, *flags)))
        for e in errors:
            print(f"FAIL {name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += len(errors)
        if not errors:
            print(f"ok   {name} is valid")

    # Negative cases: the schema must reject them.
    negatives = {
        "missing verdict": write(tool, workdir, "no-verdict.json", "--drop-verdict"),
    }
    doc = write(tool, workdir, "base.json")
    bad = json.loads(json.dumps(doc))
    bad["schema"] = "hakit.comparison/2"
    negatives["other schema version"] = bad
    bad = json.loads(json.dumps(doc))
    bad["scenarios"][0]["variants"]["fixed"]["observed"] = "maybe"
    negatives["unknown observed"] = bad
    bad = json.loads(json.dumps(doc))
    bad["scenarios"][0]["variants"]["fixed"]["closed"] = 1.5
    negatives["fractional closed"] = bad
    bad = json.loads(json.dumps(doc))
    bad["scenarios"][0]["verdict"]["status"] = "passed"
    negatives["unknown status"] = bad
    bad = json.loads(json.dumps(doc))
    bad["scenarios"][0]["variants"]["buggy"]["typo_field"] = 1
    negatives["unknown field"] = bad
    for what, instance in negatives.items():
        if validator.is_valid(instance):
            print(f"FAIL {what}: the schema accepted it")
            failures += 1
        else:
            print(f"ok   {what} is rejected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
