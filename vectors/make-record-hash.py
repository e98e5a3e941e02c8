#!/usr/bin/env python3
"""Writes vectors/record-hash.json: the shared test vectors of the record hash (docs/record-hash.md).

The canonical forms below are written by hand from RFC 8785 and the scheme's number rule, not
computed by either implementation, so the Rust client library and the dApp are each checked
against an expectation neither produced. Python computes only the HMAC-SHA-256.
Run: python3 vectors/make-record-hash.py > vectors/record-hash.json
"""
import hashlib, hmac, json

ZERO = bytes(32)
COUNT = bytes(range(1, 33))
FF = b"\xff" * 32

# (name, input bytes, salt, expected canonical form or None for "hashed as bytes")
V = [
    ("fhir-observation-pretty", b'{\n  "resourceType": "Observation",\n  "status": "final",\n  "valueQuantity": { "value": 7.20, "unit": "mmol/L" }\n}\n', COUNT,
     '{"resourceType":"Observation","status":"final","valueQuantity":{"unit":"mmol/L","value":7.2}}'),
    ("fhir-observation-compact-same-hash", b'{"status":"final","valueQuantity":{"value":7.2,"unit":"mmol/L"},"resourceType":"Observation"}', COUNT,
     '{"resourceType":"Observation","status":"final","valueQuantity":{"unit":"mmol/L","value":7.2}}'),
    ("same-record-other-salt", b'{"status":"final","valueQuantity":{"value":7.2,"unit":"mmol/L"},"resourceType":"Observation"}', FF,
     '{"resourceType":"Observation","status":"final","valueQuantity":{"unit":"mmol/L","value":7.2}}'),
    ("rfc8785-strings-and-literals", '{"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'.encode(), ZERO,
     '{"literals":[null,true,false],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'),
    ("rfc8785-numbers-kept", b'[1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0, 1e21, 1e20, 0.000001, 1e-7, 9007199254740992, 295147905179352830000]', ZERO,
     '[1e+30,4.5,0.002,1e-27,0,1e+21,100000000000000000000,0.000001,1e-7,9007199254740992,295147905179352830000]'),
    ("utf16-member-order", '{"\ufb01": 1, "\U0001f600": 2, "a": 3, "\u00e9": 4, "A": 5}'.encode(), COUNT,
     '{"A":5,"a":3,"\u00e9":4,"\U0001f600":2,"\ufb01":1}'),
    ("escaped-surrogate-pair-and-controls", b'["\\ud83d\\ude00", "\\u0001\\b\\f\\t\\u001f\\u007f", "/"]', COUNT,
     '["\U0001f600","\\u0001\\b\\f\\t\\u001f\x7f","/"]'),
    ("empty-object-and-nesting", b' [ {}, [], [[ ]], {"a":{"b":{}}} ] ', ZERO, '[{},[],[[]],{"a":{"b":{}}}]'),
    # Hashed as bytes: not an object or array, or canonicalizing would change or drop something.
    ("number-precision-would-be-lost", b'{"id": 12345678901234567891}', COUNT, None),
    ("number-digits-beyond-a-double", b'[333333333.33333329]', COUNT, None),
    ("duplicate-member-name", b'{"a": 1, "\\u0061": 2}', COUNT, None),
    ("lone-surrogate", b'["\\ud800"]', COUNT, None),
    ("top-level-string", b'"a string"', COUNT, None),
    ("trailing-comma", b'{"a": 1,}', COUNT, None),
    ("byte-order-mark", b'\xef\xbb\xbf{"a": 1}', COUNT, None),
    ("not-utf8", b'["\xff"]', COUNT, None),
    ("pdf-bytes", b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', ZERO, None),
    ("empty-file", b'', ZERO, None),
]

out = []
for name, data, salt, canon in V:
    msg = data if canon is None else canon.encode()
    v = {"name": name}
    try:
        v["input"] = data.decode("utf-8")
    except UnicodeDecodeError:
        v["input_hex"] = data.hex()
    v["salt"] = "0x" + salt.hex()
    v["form"] = "bytes" if canon is None else "canonical-json"
    if canon is not None:
        v["canonical"] = canon
    v["hash"] = "0x" + hmac.new(salt, msg, hashlib.sha256).hexdigest()
    out.append(v)

print(json.dumps({
    "scheme": "carechain record hash v1: HMAC-SHA-256(salt, form(record)), docs/record-hash.md",
    "note": "input is the record's bytes as UTF-8 text (input_hex where they are not UTF-8); canonical is the form hashed when form is canonical-json",
    "vectors": out,
}, indent=2, ensure_ascii=False))
