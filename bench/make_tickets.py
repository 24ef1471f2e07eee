#!/usr/bin/env python3
"""Writes SIZE synthetic tickets as campusdesk import CSV files of at most CHUNK rows each.

Usage: make_tickets.py SIZE OUT_DIR [CHUNK]

The texts are built from a fixed vocabulary with a fixed random seed, so every run writes the
same files. Planted on purpose, so the benchmark's search cases have known answers:
- the word "zeppelin" in the description of every 100,000th ticket (rare word),
- the word "photocopier" only in a message, of every 50,000th ticket (message-only word),
- the phrase "no heating" in every 1,000th ticket,
- every ticket's category is given (so the import does not spend its time classifying), and no
  ticket is both `closed` and `services` (the "filter that matches nothing" case).
25 % of the tickets are closed, as in the data set the peers were measured on.
"""

import csv
import os
import random
import sys

PLACES = ["library", "canteen", "lecture hall", "room B204", "lab 3", "gym", "dorm C", "atrium",
          "parking", "chemistry wing", "seminar room 12", "main entrance", "basement", "cafe"]
THINGS = {
    "facility": ["lift", "heating", "radiator", "window", "door", "light", "toilet", "roof",
                 "stairs", "ceiling", "air conditioning", "floor", "lock", "water tap"],
    "it": ["wifi", "printer", "projector", "laptop", "eduroam", "email", "password", "monitor",
           "network", "software licence", "vpn", "smartboard", "scanner", "account"],
    "services": ["queue", "opening hours", "food", "coffee", "staff", "fees", "noise",
                 "bus", "parcel", "library card", "menu", "prices", "timetable", "refund"],
}
PROBLEMS = ["is broken", "does not work", "stopped working", "is very slow", "makes a noise",
            "is missing", "keeps failing", "is dirty", "is too expensive", "is closed again"]
FILLER = ["since this morning", "for two days", "again today", "every afternoon", "after the update",
          "since Monday", "during lectures", "at night", "when it rains", "all week"]
REPLIES = ["We are looking into it.", "A technician is on the way.", "Thanks, it works again.",
           "Any news on this?", "Please try again now.", "Still broken for me."]


def row(i, rng):
    category = rng.choice(list(THINGS))
    status = rng.choices(["open", "active", "closed"], weights=[45, 30, 25])[0]
    if status == "closed" and category == "services":
        category = "facility"
    thing, place = rng.choice(THINGS[category]), rng.choice(PLACES)
    title = f"{thing.capitalize()} in {place} {rng.choice(PROBLEMS)}"
    description = f"The {thing} in the {place} {rng.choice(PROBLEMS)} {rng.choice(FILLER)}. Ticket note {i}."
    if i % 100_000 == 7:
        description += " A zeppelin shaped balloon is stuck in it."
    if i % 1_000 == 3:
        description += " There is no heating at all."
    day = 1 + i * 1_000 // max(SIZE, 1) % 1_000
    opened = f"2024-{1 + day % 12:02d}-{1 + day % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(i // 60) % 60:02d}Z"
    closed = opened.replace("2024-", "2025-") if status == "closed" else ""
    thread = []
    if i % 4 == 0:
        thread.append(f"user: {rng.choice(REPLIES)}")
        thread.append(f"staff (Desk): {rng.choice(REPLIES)}")
    if i % 50_000 == 11:
        thread.append("staff (Desk): The photocopier next door caused it.")
    return [title, description, status, opened, closed, category, "\n".join(thread)]


if __name__ == "__main__":
    SIZE = int(sys.argv[1])
    out = sys.argv[2]
    chunk = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261130)
    for start in range(0, SIZE, chunk):
        with open(os.path.join(out, f"tickets-{start // chunk:04d}.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["title", "description", "status", "opened_at", "closed_at", "category", "thread"])
            for i in range(start, min(start + chunk, SIZE)):
                writer.writerow(row(i, rng))
