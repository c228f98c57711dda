"""Parses the JUnit report of a synthetic document and checks its counts.

usage: check_junit.py TOOL WORKDIR
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def main():
    tool, workdir = sys.argv[1:3]
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "junit.xml")
    subprocess.run([tool, "junit", path, "--failing"], check=True)
    root = ET.parse(path).getroot()  # raises on malformed XML
    problems = []

    def expect(what, got, want):
        if got != want:
            problems.append(f"{what}: got {got!r}, want {want!r}")

    expect("root tag", root.tag, "testsuites")
    cases = root.findall("./testsuite/testcase")
    expect("testcases", len(cases), 6)
    expect("failure elements", len(root.findall(".//failure")), 1)
    expect("error elements", len(root.findall(".//error")), 1)
    expect("testsuites tests", root.get("tests"), "6")
    expect("testsuites failures", root.get("failures"), "1")
    expect("testsuites errors", root.get("errors"), "1")
    for suite in root.findall("testsuite"):
        name = suite.get("name")
        expect(f"{name} tests", int(suite.get("tests")), len(suite.findall("testcase")))
        expect(f"{name} failures", int(suite.get("failures")), len(suite.findall("testcase/failure")))
        expect(f"{name} errors", int(suite.get("errors")), len(suite.findall("testcase/error")))
        for case in suite.findall("testcase"):
            expect("classname", case.get("classname"), name)
    failing = root.find(".//testcase[@classname='hakit.rst-after-handshake'][@name='fixed']/failure")
    if failing is None or "expected no-leak, observed leak" not in failing.get("message", ""):
        problems.append("the fixed failure on rst-after-handshake does not say what differs")
    error = root.find(".//testcase[@classname='hakit.destroy-connections'][@name='buggy']/error")
    if error is None or "exited <1> & dumped core" not in error.get("message", ""):
        problems.append("the harness error does not round-trip its escaped text")
    for p in problems:
        print("FAIL", p)
    if not problems:
        print("ok   junit.xml parses with 6 testcases, 1 failure, 1 error")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
