#!/usr/bin/env python3
"""Cuts the fake Stripe's test resources out of Stripe's published OpenAPI files.

The fake Stripe (integrations/src/test/java/dev/tally/integrations/stripe/fake) checks every request
against Stripe's OpenAPI document and seeds its answers from Stripe's example objects. The published
files are large (the spec is 4.2 MB), so the repository keeps only what the fake uses, cut by this
script into integrations/src/test/resources/stripe/:

  stripe-spec3.2022-04-12.e0123a38.subset.json
      From github.com/stripe/openapi, commit e0123a38b40c8d840b4c0469ac0ee1650b6bfea3 (2022-04-12),
      file openapi/spec3.json (API version 2020-08-27; git blob 190dc133556104cab606a9aeff2b4c804f4ea419,
      SHA-256 0623034db1e5a471369edf211838df328296018cc96dcb4bab0d5c28ab1efc9e).
      Kept: the operations the fake answers (OPERATIONS below), each with the names of its query and
      path parameters and of its form-encoded body fields. Those names are all the fake validates;
      their schemas are left out. A path, method or parameter that is not kept is refused by the fake.

  stripe-fixtures3.2026-08-21.f6c2a48f.subset.json
      From the same repository, commit f6c2a48fbac2819d1feba8143d942ffc65e1c0d2 (2026-08-21), file
      openapi/fixtures3.json (git blob e79cc230480344bfb4a33ea7272989db82fa1a3d, SHA-256
      41486e14a5b930447f53ecc4e71e34e3184462ba3d18212a39d4a40f70eaba44).
      Kept: the example objects the fake seeds (RESOURCES below), whole and unchanged.

Each output names its source in an "x-tally-subset" member. The script refuses input files whose
SHA-256 differs from the ones above: moving to another version is a deliberate change of SOURCES.

Re-run it after the fake answers another operation or seeds another object (add it to OPERATIONS or
RESOURCES first). Python 3.8+, standard library only; from the repository root:

  # the published files, e.g. from https://github.com/stripe/openapi/raw/<commit>/openapi/spec3.json
  python3 integrations/scripts/stripe_fake_subset.py --spec spec3.json --fixtures fixtures3.json

then run StripeSpecTest and StripeApiGatewayTest (integrations) to see the fake accept what it answers.
"""

import argparse
import hashlib
import json
import pathlib
import sys

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "test" / "resources" / "stripe"

SOURCES = {
    "spec": {
        "repository": "https://github.com/stripe/openapi",
        "commit": "e0123a38b40c8d840b4c0469ac0ee1650b6bfea3",
        "date": "2022-04-12",
        "file": "openapi/spec3.json",
        "sha256": "0623034db1e5a471369edf211838df328296018cc96dcb4bab0d5c28ab1efc9e",
        "output": "stripe-spec3.2022-04-12.e0123a38.subset.json",
    },
    "fixtures": {
        "repository": "https://github.com/stripe/openapi",
        "commit": "f6c2a48fbac2819d1feba8143d942ffc65e1c0d2",
        "date": "2026-08-21",
        "file": "openapi/fixtures3.json",
        "sha256": "41486e14a5b930447f53ecc4e71e34e3184462ba3d18212a39d4a40f70eaba44",
        "output": "stripe-fixtures3.2026-08-21.f6c2a48f.subset.json",
    },
}

# The operations FakeStripe.route answers, as the spec spells them.
OPERATIONS = [
    ("post", "/v1/customers"),
    ("get", "/v1/customers/{customer}"),
    ("post", "/v1/invoiceitems"),
    ("get", "/v1/invoiceitems"),
    ("post", "/v1/invoices"),
    ("get", "/v1/invoices"),
    ("get", "/v1/invoices/{invoice}"),
    ("post", "/v1/invoices/{invoice}/finalize"),
    ("post", "/v1/invoices/{invoice}/pay"),
    ("get", "/v1/refunds"),
]

# The objects FakeStripe seeds with StripeFixtures.seed(...).
RESOURCES = [
    "charge", "customer", "dispute", "event", "invoice", "invoice_payment", "invoiceitem",
    "payment_intent", "refund",
]

FORM = "application/x-www-form-urlencoded"


def read_checked(path, source):
    data = pathlib.Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source["sha256"]:
        sys.exit(f"{path}: SHA-256 {digest}, not {source['sha256']} of {source['file']} at "
                 f"{source['commit']}; change SOURCES to move to another version")
    return json.loads(data)


def provenance(source, kept):
    return {
        "source": f"{source['repository']}/blob/{source['commit']}/{source['file']}",
        "sha256": source["sha256"],
        "generator": "integrations/scripts/stripe_fake_subset.py",
        "kept": kept,
    }


def spec_subset(spec):
    paths = {}
    for method, path in OPERATIONS:
        operation = spec["paths"].get(path, {}).get(method)
        if operation is None:
            sys.exit(f"{method.upper()} {path} is not in the spec")
        kept = {
            "operationId": operation.get("operationId"),
            "parameters": [{"in": p["in"], "name": p["name"]} for p in operation.get("parameters", [])
                           if p.get("in") in ("query", "path")],
        }
        form = operation.get("requestBody", {}).get("content", {}).get(FORM)
        if form is not None:
            fields = sorted(form.get("schema", {}).get("properties", {}))
            kept["requestBody"] = {"content": {FORM: {"schema": {"properties": {f: {} for f in fields}}}}}
        paths.setdefault(path, {})[method] = kept
    info = dict(spec["info"])
    info["x-tally-subset"] = provenance(SOURCES["spec"], "the operations the fake answers, with the names of "
                                        "their query and path parameters and form fields (schemas left out)")
    return {"openapi": spec["openapi"], "info": info, "paths": paths}


def fixtures_subset(fixtures):
    missing = [name for name in RESOURCES if name not in fixtures["resources"]]
    if missing:
        sys.exit(f"no fixtures for {missing}")
    return {
        "x-tally-subset": provenance(SOURCES["fixtures"], "the example objects the fake seeds, unchanged"),
        "resources": {name: fixtures["resources"][name] for name in RESOURCES},
    }


def write(document, name):
    target = OUTPUT / name
    target.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{target} ({target.stat().st_size} bytes)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, help="the published openapi/spec3.json")
    parser.add_argument("--fixtures", required=True, help="the published openapi/fixtures3.json")
    arguments = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    write(spec_subset(read_checked(arguments.spec, SOURCES["spec"])), SOURCES["spec"]["output"])
    write(fixtures_subset(read_checked(arguments.fixtures, SOURCES["fixtures"])), SOURCES["fixtures"]["output"])


if __name__ == "__main__":
    main()
