#!/usr/bin/env python3
"""Checks the relevance test data and the built-in synonym list without building.

    python3 tests/relevance/check_data.py

- text/synonyms.txt: every line is a group of single, lowercase, unaccented words;
  no word appears in two groups; and, when the `snowballstemmer` package is
  installed, no two groups share a stem (the relay would merge them) and no group
  is only one stem (it would add nothing).
- listings.toml and queries.toml parse; keys are unique; every key a query names
  exists, in the family the query searches; field values are the allowed ones.
"""
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXT = HERE.parent.parent / "text"
errors = []


def err(msg):
    errors.append(msg)


def check_synonyms(path):
    try:
        import snowballstemmer
        stem = snowballstemmer.stemmer("english").stemWord
    except ImportError:
        stem = None
        print("note: snowballstemmer not installed; stem checks skipped")
    seen = {}
    stems = {}
    groups = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = [w.strip() for w in line.split(",")]
        if len(words) < 2:
            err(f"synonyms.txt:{n}: a group needs at least two words")
        groups += 1
        group_stems = set()
        for w in words:
            plain = unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()
            if not w or not re.fullmatch(r"[a-z0-9]+", w) or plain != w:
                err(f"synonyms.txt:{n}: {w!r} is not one lowercase unaccented word")
            if w in seen:
                err(f"synonyms.txt:{n}: {w!r} is also in the group on line {seen[w]}")
            seen[w] = n
            if stem:
                s = stem(w)
                group_stems.add(s)
                if s in stems and stems[s][0] != n:
                    err(f"synonyms.txt:{n}: {w!r} has stem {s!r} like {stems[s][1]!r} on line {stems[s][0]}: the groups would merge")
                stems.setdefault(s, (n, w))
        if stem and len(group_stems) < 2:
            err(f"synonyms.txt:{n}: every word stems to {group_stems}: the group adds nothing")
    if groups < 100:
        err(f"synonyms.txt: {groups} groups, want at least 100")
    return groups


KINDS = {"paid-job", "training", "volunteering", "peer-teaching", "paid-involvement", "apprenticeship", "social-enterprise"}
SECTORS = {"ordinary", "mental-health"}
TAGS = {"women", "men", "trans-nonbinary", "lgbtq", "black-minority-ethnic", "young-adults"}
PAY = re.compile(r"\d+\.\d\d/(hour|session|day)")
KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def check_listings(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    fam = {}
    for o in data.get("opportunity", []):
        k = o["key"]
        if k in fam:
            err(f"listings: duplicate key {k}")
        fam[k] = "opportunity"
        if not KEY.fullmatch(k):
            err(f"listings: bad key {k!r}")
        if o["kind"] not in KINDS:
            err(f"listings {k}: kind {o['kind']!r}")
        if o["sector"] not in SECTORS:
            err(f"listings {k}: sector {o['sector']!r}")
        if "pay" in o and not PAY.fullmatch(o["pay"]):
            err(f"listings {k}: pay {o['pay']!r}")
        if len(o.get("skills", [])) > 6:
            err(f"listings {k}: more than 6 skills")
        for f in ("title", "description", "area"):
            if not o.get(f):
                err(f"listings {k}: no {f}")
    for h in data.get("safehouse", []):
        k = h["key"]
        if k in fam:
            err(f"listings: duplicate key {k}")
        fam[k] = "safehouse"
        if not KEY.fullmatch(k):
            err(f"listings: bad key {k!r}")
        for t in h["for_tags"]:
            if t not in TAGS:
                err(f"listings {k}: for tag {t!r}")
        for f in ("name", "description", "area"):
            if not h.get(f):
                err(f"listings {k}: no {f}")
    for item in data.get("opportunity", []) + data.get("safehouse", []):
        if len(item["area"]) > 64:
            err(f"listings {item['key']}: area longer than 64")
        for f in ("area", "description"):
            if POSTCODE.search(item[f]):
                err(f"listings {item['key']}: a full postcode in {f}")
    return data, fam


def check_queries(path, fam):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    qs = data.get("query", [])
    for i, q in enumerate(qs, 1):
        where = f"queries #{i} {q.get('q')!r}"
        family = q.get("family")
        if family not in ("opportunity", "safehouse"):
            err(f"{where}: family {family!r}")
        if q.get("kind") and q["kind"] not in KINDS:
            err(f"{where}: kind {q['kind']!r}")
        if q.get("for_tag") and q["for_tag"] not in TAGS:
            err(f"{where}: for_tag {q['for_tag']!r}")
        first = q.get("first", [])
        if not 1 <= len(first) <= 4:
            err(f"{where}: first has {len(first)} ids")
        for part in ("first", "also", "not"):
            for k in q.get(part, []):
                if k not in fam:
                    err(f"{where}: {part} names unknown key {k}")
                elif fam[k] != family:
                    err(f"{where}: {part} names {k}, a {fam[k]}")
        if set(first) & set(q.get("not", [])) or set(q.get("also", [])) & set(q.get("not", [])):
            err(f"{where}: an id both wanted and not")
        if not q.get("why"):
            err(f"{where}: no why")
    return qs


groups = check_synonyms(TEXT / "synonyms.txt")
listings, fam = check_listings(HERE / "listings.toml")
queries = check_queries(HERE / "queries.toml", fam)
for e in errors:
    print(e)
print(f"{groups} synonym groups, {len(listings.get('opportunity', []))} opportunities, "
      f"{len(listings.get('safehouse', []))} safe houses, {len(queries)} queries: "
      f"{'ok' if not errors else f'{len(errors)} problems'}")
sys.exit(1 if errors else 0)
