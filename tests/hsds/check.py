"""Checks a relay's HSDS 3 API against Open Referral's own JSON Schemas.

    python3 tests/hsds/check.py BASE_URL HSDS_DIR

BASE_URL is the relay's HTTP API (http://127.0.0.1:PORT); HSDS_DIR holds the HSDS 3
schemas (schema/compiled/*.json, schema/*.json). Every list page and every object
behind an id is validated (formats included: uuid, date-time, uri, email); each list
is walked page by page (first, middle and last through total_pages, as the ORUK
validator does). Prints what it checked; exits 1 with every problem found.
"""

import json
import sys
import urllib.request

from jsonschema import Draft202012Validator

BASE, HSDS = sys.argv[1].rstrip("/"), sys.argv[2]
problems = []
checked = {"pages": 0, "objects": 0}


def schema(path):
    with open(f"{HSDS}/schema/{path}") as f:
        s = json.load(f)
    return Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER)


def get(path):
    with urllib.request.urlopen(BASE + path) as r:
        if r.headers.get("Access-Control-Allow-Origin") != "*":
            problems.append(f"{path}: no Access-Control-Allow-Origin: *")
        return json.load(r)


def check(what, validator, value):
    checked["objects"] += 1
    for e in validator.iter_errors(value):
        where = "/".join(str(p) for p in e.absolute_path)
        problems.append(f"{what} at /{where}: {e.message}")


PAGE_KEYS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def walk(path, item_validator):
    """Every page of a list with one item a page; returns the items."""
    first = get(f"{path}?per_page=1&page=1")
    for k, t in PAGE_KEYS.items():
        if not isinstance(first.get(k), t):
            problems.append(f"{path}: page key {k} missing or not {t.__name__}")
            return []
    total, pages = first["total_items"], first["total_pages"]
    if pages != max(total, 1):
        problems.append(f"{path}: {total} items at 1 a page, but total_pages is {pages}")
    items = []
    for n in range(1, pages + 1):
        page = first if n == 1 else get(f"{path}?per_page=1&page={n}")
        checked["pages"] += 1
        if page["page_number"] != n or page["first_page"] != (n == 1) or page["last_page"] != (n == pages):
            problems.append(f"{path} page {n}: page_number/first_page/last_page say otherwise: {page}")
        if page["size"] != len(page["contents"]) or page["empty"] != (total == 0):
            problems.append(f"{path} page {n}: size or empty disagree with contents")
        for item in page["contents"]:
            check(f"{path} page {n}", item_validator, item)
            for k, v in item.items():
                if v in ("", None, []):
                    problems.append(f"{path} page {n}: empty optional field {k} not left out")
        items += page["contents"]
    ids = [i.get("id") for i in items]
    if len(set(ids)) != len(ids) or len(ids) != total:
        problems.append(f"{path}: walking the pages gave {len(ids)} items ({len(set(ids))} distinct), not {total}")
    # A middle page, asked for on its own, is the same as in the walk.
    if pages >= 3:
        middle = pages // 2 + 1
        again = get(f"{path}?per_page=1&page={middle}")
        if again["contents"] != [items[middle - 1]]:
            problems.append(f"{path}: page {middle} differs when asked again")
    return items


root = get("/")
if root.get("version", "").split(".")[0] != "3" or not root.get("openapi_url", "").endswith("/openapi.json"):
    problems.append(f"/: version and openapi_url as the ORUK validator expects, got {root}")
get("/openapi.json")

services = walk("/services", schema("compiled/service_list.json"))
full = schema("compiled/service.json")
for s in services:
    check(f"/services/{s['id']}", full, get(f"/services/{s['id']}"))

orgs = walk("/organizations", schema("compiled/organization_list.json"))
org_full = schema("compiled/organization.json")
for o in orgs:
    check(f"/organizations/{o['id']}", org_full, get(f"/organizations/{o['id']}"))

sals = walk("/service_at_locations", schema("compiled/service_at_location_list.json"))
sal_full = schema("compiled/service_at_location.json")
for s in sals:
    check(f"/service_at_locations/{s['id']}", sal_full, get(f"/service_at_locations/{s['id']}"))

for t in walk("/taxonomies", schema("taxonomy.json")):
    check(f"/taxonomies/{t['id']}", schema("taxonomy.json"), get(f"/taxonomies/{t['id']}"))
terms = walk("/taxonomy_terms", schema("taxonomy_term.json"))
for t in terms[:3]:
    check(f"/taxonomy_terms/{t['id']}", schema("taxonomy_term.json"), get(f"/taxonomy_terms/{t['id']}"))

print(
    f"checked {checked['objects']} objects on {checked['pages']} pages: {len(services)} services, "
    f"{len(orgs)} organizations, {len(sals)} service_at_locations, {len(terms)} taxonomy terms"
)
for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
