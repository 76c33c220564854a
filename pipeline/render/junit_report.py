"""Findings as a JUnit XML report, so any CI shows them: errors are failures, the rest properties."""

from __future__ import annotations

from lxml import etree

from pipeline.render.catalog_findings import FindingRecord


def suite_element(name: str, items: list[FindingRecord]) -> tuple[etree._Element, int, int]:
    """(testsuite element, tests, failures) of one suite."""
    suite = etree.Element("testsuite", name=name)
    suite_failures = 0
    if not items:
        etree.SubElement(suite, "testcase", classname=_classname(name), name="no findings")
    for r in items:
        case = etree.SubElement(
            suite,
            "testcase",
            classname=f"{_classname(name)}.{r.origin}",
            name=f"{r.seq:04d} {r.code} {_short(r.message)}",
        )
        if r.path:
            case.set("file", r.path)
        if r.line:
            case.set("line", str(r.line))
        if r.severity == "error":
            suite_failures += 1
            failure = etree.SubElement(case, "failure", type=r.code, message=r.message)
            failure.text = _detail(r)
        else:
            props = etree.SubElement(case, "properties")
            for key, value in (("severity", r.severity), ("code", r.code), ("message", r.message),
                               ("subject", r.subject), ("page", r.page)):  # fmt: skip
                if value is not None:
                    etree.SubElement(props, "property", name=key, value=str(value))
    tests = max(len(items), 1)
    suite.set("tests", str(tests))
    suite.set("failures", str(suite_failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite, tests, suite_failures


class JunitWriter:
    """The JUnit report written suite by suite; the totals are known beforehand (from summaries)."""

    def __init__(self, fh, tests: int, failures: int) -> None:
        self.fh = fh
        fh.write(b"<?xml version='1.0' encoding='UTF-8'?>\n")
        fh.write(f'<testsuites name="svcdesc" tests="{tests}" failures="{failures}" errors="0">\n'.encode())

    def add(self, name: str, items: list[FindingRecord]) -> None:
        self.add_chunk(self.chunk(name, items))

    @staticmethod
    def chunk(name: str, items: list[FindingRecord]) -> bytes:
        """One suite's XML, to :meth:`add_chunk` now or in a later build."""
        el, _, _ = suite_element(name, sorted(items))
        etree.indent(el, space="  ", level=1)
        return b"  " + etree.tostring(el, encoding="UTF-8") + b"\n"

    def add_chunk(self, data: bytes) -> None:
        self.fh.write(data)

    def close(self) -> None:
        self.fh.write(b"</testsuites>\n")


def _classname(suite: str) -> str:
    return "svcdesc." + suite.replace("/", ".").replace(" ", "_")


def _short(message: str, n: int = 90) -> str:
    message = " ".join(message.split())
    return message if len(message) <= n else message[: n - 1] + "…"


def _detail(r: FindingRecord) -> str:
    where = r.path or ""
    if r.line:
        where += f":{r.line}"
    if r.page:
        where += f" (page {r.page})"
    return f"[{r.code}] {r.message}\n{where}".strip()
