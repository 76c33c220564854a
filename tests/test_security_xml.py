"""Safe XML: billion laughs, XXE, external DTDs, parameter entities, XInclude, huge and deep trees.

Each payload is real: the XXE ones point at a temp file holding a secret, the network ones at a local
HTTP server that records any request. The secret must never appear and no request may arrive.
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest
from helpers import CLI, no_hang
from lxml import etree

from pipeline.errors import BadXml, ForbiddenXml, InputNotFound, SvcdescError
from pipeline.xmlsafe import parse_xml_bytes, parse_xml_file

SECRET = "TOP-SECRET-4f1c9a"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2"><file><body><trans-unit id="1"><source>&lol9;</source></trans-unit></body></file></xliff>
"""


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text(SECRET)
    return p


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        body = f'<!ENTITY x "{SECRET}">'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def http_server():
    _Recorder.hits = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", _Recorder.hits
    srv.shutdown()
    srv.server_close()


def _refused(data: bytes) -> SvcdescError:
    with pytest.raises(SvcdescError) as info:
        root = parse_xml_bytes(data, "payload.xml")
        # never reached for payloads; if it is, the secret must at least not be in the tree
        assert SECRET not in etree.tostring(root, encoding="unicode")
    assert SECRET not in info.value.message
    assert "\n" not in info.value.message
    return info.value


def test_billion_laughs_refused_fast():
    with no_hang():
        err = _refused(BILLION_LAUGHS)
    assert isinstance(err, ForbiddenXml)
    assert err.code == "E402" and "payload.xml" in err.message


def test_quadratic_blowup_refused():
    big = b"A" * 100_000
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + big + b'">]><r>' + b"&a;" * 10_000 + b"</r>"
    assert isinstance(_refused(data), ForbiddenXml)


def test_xxe_file_read_refused(secret_file: Path):
    data = f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret_file}">]>
<martif type="TBX"><text><body><termEntry><langSet xml:lang="en"><tig><term>&xxe;</term></tig></langSet>
</termEntry></body></text></martif>""".encode()
    assert isinstance(_refused(data), ForbiddenXml)


def test_xxe_with_doctype_after_long_comment(secret_file: Path):
    """A DOCTYPE pushed past the first kilobytes by a comment is still seen."""
    data = (
        b'<?xml version="1.0"?><!--' + b"x" * 20_000 + b"-->"
        + f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_file}">]><r>&xxe;</r>'.encode()
    )  # fmt: skip
    assert isinstance(_refused(data), ForbiddenXml)


def test_xxe_in_utf16_refused(secret_file: Path):
    text = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_file}">]><r>&xxe;</r>'
    assert isinstance(_refused(text.encode("utf-16")), ForbiddenXml)  # with BOM
    assert isinstance(_refused(text.encode("utf-16-le")), BadXml)  # no BOM: not accepted at all


def test_utf7_declared_encoding_refused(secret_file: Path):
    """UTF-7 could spell <!DOCTYPE as +ADw-!DOCTYPE and slip past a byte scan: the encoding is refused."""
    payload = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_file}">]><r>&xxe;</r>'
    data = b'<?xml version="1.0" encoding="UTF-7"?>' + payload.encode("utf-7")
    err = _refused(data)
    assert isinstance(err, BadXml) and "utf-7" in err.message


def test_external_dtd_over_http_refused_without_request(http_server):
    url, hits = http_server
    data = f'<?xml version="1.0"?><!DOCTYPE xliff SYSTEM "{url}/x.dtd"><xliff version="1.2"/>'.encode()
    assert isinstance(_refused(data), ForbiddenXml)
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}/e">]><r>&e;</r>'.encode()
    assert isinstance(_refused(data), ForbiddenXml)
    time.sleep(0.05)
    assert hits == []


def test_parameter_entity_refused(http_server, secret_file: Path):
    url, hits = http_server
    data = f"""<?xml version="1.0"?>
<!DOCTYPE r [
  <!ENTITY % file SYSTEM "file://{secret_file}">
  <!ENTITY % dtd SYSTEM "{url}/evil.dtd">
  %dtd;
]><r>&send;</r>""".encode()
    assert isinstance(_refused(data), ForbiddenXml)
    time.sleep(0.05)
    assert hits == []


def test_lowercase_and_spaced_doctype_refused():
    assert isinstance(_refused(b'<!doctype r [<!entity a "b">]><r>&a;</r>'), SvcdescError)


def test_xinclude_is_never_processed(secret_file: Path):
    """xi:include is not a declaration, so it parses — but stays an inert element: no file is read."""
    data = f"""<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file://{secret_file}" parse="text"/></r>""".encode()
    root = parse_xml_bytes(data, "x.xml")
    assert SECRET not in etree.tostring(root, encoding="unicode")
    assert root[0].tag == "{http://www.w3.org/2001/XInclude}include"


def test_undeclared_entity_reference_is_an_error():
    err = _refused(b"<r>&nope;</r>")
    assert isinstance(err, BadXml)


def test_huge_input_refused_before_parsing():
    data = b"<r>" + b"a" * 2000 + b"</r>"
    with pytest.raises(BadXml, match="over the limit"):
        parse_xml_bytes(data, "big.xml", max_bytes=1000)


def test_huge_text_node_refused():
    data = b"<r>" + b"a" * (11 * 1024 * 1024) + b"</r>"
    with no_hang():
        assert isinstance(_refused(data), BadXml)


def test_deep_nesting_refused():
    depth = 100_000
    data = b"<a>" * depth + b"</a>" * depth
    with no_hang():
        assert isinstance(_refused(data), BadXml)
    # under libxml2's own cap but over ours
    data = b"<a>" * 220 + b"</a>" * 220
    err = _refused(data)
    assert isinstance(err, BadXml) and "nesting" in err.message


def test_malformed_and_empty():
    assert isinstance(_refused(b"<r><unclosed></r>"), BadXml)
    assert isinstance(_refused(b""), BadXml)
    assert isinstance(_refused(b"   \n"), BadXml)


def test_valid_tbx_parses_with_bom(tmp_path: Path):
    p = tmp_path / "g.tbx"
    p.write_bytes(
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><martif type="TBX"><text><body>'
        b'<termEntry id="t1"><langSet xml:lang="fr"><tig><term>Cr\xc3\xa9dits</term></tig></langSet></termEntry>'
        b"</body></text></martif>"
    )
    root = parse_xml_file(p)
    assert root.tag == "martif"
    assert root.find(".//term").text == "Crédits"


def test_missing_file():
    with pytest.raises(InputNotFound):
        parse_xml_file("/nonexistent/g.tbx")


def test_file_size_checked_before_read(tmp_path: Path):
    p = tmp_path / "big.xliff"
    p.write_bytes(b"<r>" + b"a" * 5000 + b"</r>")
    with pytest.raises(BadXml, match="over the limit"):
        parse_xml_file(p, max_bytes=100)


def test_parser_flags_alone_do_not_read_files(secret_file: Path, http_server):
    """Defence in depth: even if the declaration scan were bypassed, the parser itself reads nothing."""
    from pipeline.xmlsafe import _parser

    url, hits = http_server
    data = f"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_file}"><!ENTITY net SYSTEM "{url}/n">
<!ENTITY % pe SYSTEM "{url}/pe.dtd"> %pe;]><r>&xxe;&net;</r>""".encode()
    try:
        root = etree.fromstring(data, parser=_parser())
        assert SECRET not in etree.tostring(root, encoding="unicode")
    except etree.XMLSyntaxError:
        pass
    time.sleep(0.05)
    assert hits == []


def test_glossary_xxe_never_reads_the_file(secret_file: Path, tmp_path: Path):
    """The TBX reader (Glossary.load) goes through xmlsafe: the XXE payload is refused, nothing read."""
    from pipeline.normalize.glossary import Glossary

    tbx = tmp_path / "glossary.tbx"
    tbx.write_text(
        f'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        '<martif type="TBX"><text><body><termEntry id="c1"><langSet xml:lang="en"><tig><term>&xxe;</term></tig>'
        '</langSet><langSet xml:lang="fr"><tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>'
    )
    with pytest.raises(ForbiddenXml) as info:
        Glossary.load(tbx)
    assert (
        info.value.code == "E402"
        and "glossary.tbx" in info.value.message
        and SECRET not in info.value.message
    )


def test_glossary_xxe_via_cli_is_one_line(secret_file: Path, tmp_path: Path):
    import subprocess

    md = tmp_path / "doc.md"
    md.write_text("# Support\n\nText.\n")
    tbx = tmp_path / "evil.tbx"
    tbx.write_text(
        f'<!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret_file}">]><martif><text><body/></text></martif>'
    )
    proc = subprocess.run(
        [*CLI,
         "extract", str(md), "--glossary", str(tbx)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("svcdesc: [E402] evil.tbx: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert SECRET not in proc.stdout + proc.stderr


def test_no_module_parses_xml_or_yaml_unsafely():
    """Every XML input goes through xmlsafe; no pickle, eval or unsafe YAML anywhere in the package."""
    import re

    pkg = Path(__file__).resolve().parents[1] / "pipeline"
    banned = re.compile(
        r"etree\.(parse|fromstring|XML|iterparse|XMLParser)\(|xml\.etree|xml\.dom|xml\.sax|minidom|"
        r"yaml\.load\(|yaml\.unsafe_load|yaml\.full_load|pickle\.loads?\(|\beval\(|\bexec\(|shell=True|os\.system\("
    )
    offenders = [
        f"{p.relative_to(pkg)}:{n}: {line.strip()}"
        for p in sorted(pkg.rglob("*.py"))
        if p.name != "xmlsafe.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if banned.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == [], offenders
