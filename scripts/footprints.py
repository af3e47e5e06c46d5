#!/usr/bin/env python3
"""footprints.py — real CDN PoP lists in cdnsim's PoP format.

Writes topologies/footprints/<cdn>.csv (iata,city,country,continent,lat,lon)
from the public lists in a cdn-footprints folder (see its README.md: sources
and MIT notices), and Akamai's footprint derived from the client metros.
Each output starts with the attribution line of its source, which the MIT
notice asks to keep with every copy.

A list gives the IATA code and coordinates; city, country and continent come
from topologies/pops.csv when the code is there, else from the list's own
note ("City (Country)") or the CloudFront list's columns, and the continent
(and a missing country) from the nearest client metro. Standard library only.

usage: scripts/footprints.py SHARED_FOOTPRINTS_DIR [OUT_DIR]
"""
import csv
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "..", "topologies")

ADAPTIVE = ("# Source: adaptive/pops, data/providers + data/iata-filtered.js, commit 3516c0f "
            "(MIT, (c) 2020 Hugo Romano); derived by scripts/footprints.py")
TOBILG = ("# Source: tobilg/aws-edge-locations, data/aws-edge-locations.csv, commit f09bf4f "
          "(MIT, (c) 2019 TobiLG); derived by scripts/footprints.py")
MIT = ("# The MIT notice of the source applies: \"The above copyright notice and this "
       "permission notice shall be included in all copies or substantial portions of the Software.\"")

# CloudFront's 13 regional edge caches (AWS documentation), by the IATA code
# of the Region's city.
CLOUDFRONT_REC = ["IAD", "CMH", "SFO", "PDX", "GRU", "FRA", "DUB", "LHR", "BOM", "SIN", "SYD",
                  "NRT", "ICN"]


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines))


def dist_km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


METROS = rows(os.path.join(TOPO, "metros.csv"))
KNOWN = {r["iata"]: r for r in rows(os.path.join(TOPO, "pops.csv"))}


def nearest_metro(lat, lon):
    return min(METROS, key=lambda m: (dist_km((lat, lon), (float(m["lat"]), float(m["lon"]))), m["name"]))


def pop_row(code, lat, lon, city="", country=""):
    k = KNOWN.get(code)
    m = nearest_metro(lat, lon)
    if k:
        city, country, cont = k["city"], k["country"], k["continent"]
    else:
        cont = m["continent"]
        city = city or m["name"]
        country = country or m["country"]
    return [code, city.replace(",", " "), country, cont, "%.4f" % lat, "%.4f" % lon]


def note_city(note):
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", note or "")
    return (m.group(1), "") if m else ("", "")


def write(out_dir, name, header, body):
    body = sorted(body, key=lambda r: r[0])
    with open(os.path.join(out_dir, name), "w", newline="", encoding="utf-8") as f:
        for h in header:
            f.write(h + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iata", "city", "country", "continent", "lat", "lon"])
        w.writerows(body)
    print("%s: %d PoPs" % (name, len(body)))


def adaptive(src, out, name, what):
    body = []
    for r in rows(os.path.join(src, name + ".csv")):
        city, _ = note_city(r.get("note"))
        body.append(pop_row(r["iata"], float(r["lat"]), float(r["lon"]), city))
    write(out, name + ".csv", ["# " + what, ADAPTIVE, MIT], body)


def slug(name):
    return re.sub(r"[^A-Za-z0-9]", "", name)[:12]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(TOPO, "footprints")
    os.makedirs(out, exist_ok=True)
    adaptive(src, out, "cloudflare", "Cloudflare data-centre cities (anycast from every one)")
    adaptive(src, out, "fastly", "Fastly PoPs (the 21 without coordinates in the source are left out)")
    adaptive(src, out, "googlecdn", "Google Cloud CDN edge cities (also used as Google Public DNS sites)")
    adaptive(src, out, "azurecdn", "Azure CDN edge cities")
    adaptive(src, out, "bunnycdn", "bunny.net PoPs")

    # CloudFront: the edge locations, plus the regional edge caches' cities
    # (Oregon, PDX, has no edge location of its own in the list)
    body, seen = [], set()
    for r in rows(os.path.join(src, "cloudfront-edges.csv")):
        if r["code"] in seen:
            continue
        seen.add(r["code"])
        body.append(pop_row(r["code"], float(r["latitude"]), float(r["longitude"]), r["city"],
                            r["country_code"]))
    extra = {r["iata"]: r for r in rows(os.path.join(src, "cloudfront.csv"))}
    for code in CLOUDFRONT_REC:
        if code not in seen:
            r = extra[code]
            body.append(pop_row(code, float(r["lat"]), float(r["lon"])))
            seen.add(code)
    write(out, "cloudfront.csv",
          ["# Amazon CloudFront edge locations; the 13 regional edge caches sit in the cities of",
           "# " + " ".join(CLOUDFRONT_REC) + " (AWS documentation), which are PoPs of this list",
           TOBILG, MIT,
           "# PDX from: " + ADAPTIVE[2:]], body)

    # Akamai publishes no list: a PoP in every client metro, at its centre
    # (deep inside the metro's access networks), id from the metro's name
    body, ids = [], set()
    for m in METROS:
        pid = slug(m["name"])
        while pid in ids:
            pid = pid[:10] + m["country"]
        ids.add(pid)
        body.append([pid, m["name"].replace(",", " "), m["country"], m["continent"],
                     "%.4f" % float(m["lat"]), "%.4f" % float(m["lon"])])
    write(out, "akamai.csv",
          ["# Akamai, derived: one PoP in every client metro of topologies/metros.csv (Akamai",
           "# publishes no list; it reports 4,000+ locations deep inside ISP networks). Ids are",
           "# the metro names without spaces; coordinates the metro centres. Derived by",
           "# scripts/footprints.py from cdnsim's own metros.csv (no outside source)."], body)


if __name__ == "__main__":
    main()
