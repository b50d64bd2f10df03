"""``scene-gym assets [--json] [--search TEXT]``: list the asset catalog or look up categories by text."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("assets", help="list asset categories (articulated flag, size ranges) or search them")
    p.add_argument("--json", action="store_true", help="print a JSON list of categories")
    p.add_argument("--search", metavar="TEXT", help="rank categories for a text description instead (and say which "
                                                    "one the name resolves to, if any)")
    p.set_defaults(func=run)


def catalog_rows() -> list[dict]:
    """One dict per category: category, articulated, placement, small, rooms, synonyms, size ranges (m)."""
    from scene_gym.assets import factories

    return [
        {"category": name, "articulated": f.articulated, "placement": f.placement, "small": f.small,
         "size_min": list(f.size_range[0]), "size_max": list(f.size_range[1]), "default_size": list(f.default_size),
         "rooms": list(f.rooms), "synonyms": list(f.synonyms), "description": f.description}
        for name, f in factories().items()
    ]  # fmt: skip


def run(args) -> int:
    if args.search:
        from scene_gym.assets import RESOLVE_THRESHOLD, resolve_name, search

        matches = search(args.search)
        if args.json:
            print(json.dumps([{"category": m.category, "score": m.score} for m in matches]))
        else:
            res = resolve_name(args.search)
            verdict = (f"{res.category} ({res.how}, {res.score:.2f})" if res.category else
                       f"unresolved: no category scores {RESOLVE_THRESHOLD:g} or more")  # fmt: skip
            print(f"{args.search!r} -> {verdict}")
            for m in matches:
                print(f"{m.score:6.2f}  {m.category}")
        return 0
    rows = catalog_rows()
    if args.json:
        print(json.dumps(rows))
        return 0
    print(f"{'category':24} {'artic.':6} {'placement':9} size range (w x d x h, m)")
    for r in rows:
        lo = " x ".join(f"{v:.2f}" for v in r["size_min"])
        hi = " x ".join(f"{v:.2f}" for v in r["size_max"])
        print(f"{r['category']:24} {'yes' if r['articulated'] else '':6} {r['placement']:9} {lo} .. {hi}")
    print(f"{len(rows)} categories, {sum(r['articulated'] for r in rows)} articulated")
    return 0
