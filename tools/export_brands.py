#!/usr/bin/env python3
"""Exports brand names (companies, services, products) as a feature list for the NER tagger, once.

    npm pack simple-icons@16.37.0 && tar xzf simple-icons-16.37.0.tgz
    python3 tools/export_brands.py package/data/simple-icons.json

simple-icons (CC0 1.0) names about 3,500 brands with their icons; only the names (each icon's
title and its "aka" aliases) are kept. Output: assets/lexicon/brands.txt, one name per line.
"""
import json
import os
import sys

out = os.path.join(os.path.dirname(__file__), "..", "assets", "lexicon", "brands.txt")
names = set()
for icon in json.load(open(sys.argv[1], encoding="utf-8")):
    for name in [icon["title"]] + icon.get("aliases", {}).get("aka", []):
        name = " ".join(name.split())
        if any(c.isalpha() for c in name) and "\n" not in name:
            names.add(name)
with open(out, "w") as f:
    f.write("# Brand names from simple-icons 16.37.0 (CC0 1.0), tools/export_brands.py.\n")
    for name in sorted(names):
        f.write(name + "\n")
