#!/usr/bin/env python3
"""Exports given names and surnames from many countries (feature lists for the NER tagger), once.

    python3 tools/export_world_names.py NAMES_DIR

NAMES_DIR holds forenames.tsv and surnames.tsv (`name<TAB>country codes`) derived from
sigpwned/popular-names-by-country-dataset v1.2 (CC0 1.0). Output: assets/lexicon/world_names.txt,
one `given NAME` or `surname NAME` line each, accents folded, lower case.
"""
import os
import sys
import unicodedata

names_dir = sys.argv[1]
out = os.path.join(os.path.dirname(__file__), "..", "assets", "lexicon", "world_names.txt")


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower().strip()


rows = set()
for kind, file in (("given", "forenames.tsv"), ("surname", "surnames.tsv")):
    for line in open(os.path.join(names_dir, file), encoding="utf-8"):
        name = line.split("\t")[0]
        key = fold(name)
        if key and key.isascii() and all(c.isalpha() or c in " -'" for c in key):
            rows.add((kind, key))
with open(out, "w") as f:
    f.write("# given names and surnames of many countries, folded: sigpwned/popular-names-by-country-dataset v1.2, CC0 1.0\n")
    for kind, key in sorted(rows):
        f.write(f"{kind} {key}\n")
