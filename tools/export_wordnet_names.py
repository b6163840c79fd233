#!/usr/bin/env python3
"""Exports WordNet's proper names with their kind (feature lists for the NER tagger), once.

    python3 tools/export_wordnet_names.py WORDNET_DICT_DIR

WORDNET_DICT_DIR holds WordNet 3.0's `data.noun` (Debian package wordnet-base 1:3.0-37, under
/usr/share/wordnet; WordNet 3.0 licence, "WordNet 3.0 Copyright 2006 by Princeton University").
A capitalised lemma is typed by its synset's hypernym chain (instance and class hypernyms):
  per   an instance of a person (Lennon, Avicenna)
  org   an organisation, instance or class (Food and Drug Administration, Hizb ut-Tahrir)
  loc   an instance of a location or natural object (Cardiff, Zambezi, Malay Archipelago)
  misc  other instances (battles, wars, works, buildings, gods) and capitalised kinds of people
        that are no one's name (Hindu, Marxist, Uighur)
Output: assets/lexicon/wordnet_names.txt, one `KIND NAME` line each, NAME as WordNet writes it
with spaces for underscores.
"""
import os
import sys

path = os.path.join(sys.argv[1], "data.noun")
out = os.path.join(os.path.dirname(__file__), "..", "assets", "lexicon", "wordnet_names.txt")

ORGANIZATION, PERSON, LOCATION = "08008335", "00007846", "00027167"
NOUN_GROUP, NOUN_LOCATION, NOUN_OBJECT, NOUN_PERSON = 14, 15, 17, 18

synsets = {}
for line in open(path, encoding="latin-1"):
    if line.startswith("  "):
        continue
    head = line.split(" | ")[0].split()
    offset, lexfile, count = head[0], int(head[1]), int(head[3], 16)
    words = [head[4 + 2 * i] for i in range(count)]
    p = 4 + 2 * count
    pointers = []
    for k in range(int(head[p])):
        symbol, target, pos = head[p + 1 + 4 * k], head[p + 2 + 4 * k], head[p + 3 + 4 * k]
        if pos == "n" and symbol in ("@", "@i"):
            pointers.append((symbol, target))
    synsets[offset] = (lexfile, words, pointers)


def ancestors(offset):
    seen, todo = set(), [offset]
    while todo:
        for _, target in synsets[todo.pop()][2]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


rows = set()
for offset, (lexfile, words, pointers) in synsets.items():
    names = [w.replace("_", " ") for w in words if w[0].isupper()]
    if not names:
        continue
    up = ancestors(offset)
    instance = any(symbol == "@i" for symbol, _ in pointers)
    if ORGANIZATION in up or (instance and lexfile == NOUN_GROUP):
        kind = "org"
    elif PERSON in up:
        kind = "per" if instance else "misc"
    elif instance and (LOCATION in up or lexfile in (NOUN_LOCATION, NOUN_OBJECT)):
        kind = "loc"
    elif instance:
        kind = "misc"
    else:
        continue
    for n in names:
        rows.add((kind, n))
with open(out, "w") as f:
    f.write("# WordNet 3.0 proper names by kind (tools/export_wordnet_names.py).\n")
    f.write("# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.\n")
    for kind, name in sorted(rows):
        f.write(f"{kind} {name}\n")
