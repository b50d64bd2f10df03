"""Turning relation phrases between mentioned objects into :class:`RelationSpec` records (step 4 of
:mod:`scene_gym.spec.parser`)."""

from __future__ import annotations

from scene_gym.spec.model import RelationSpec
from scene_gym.spec.phrases import UNRESOLVED, Mention


def is_mention(x) -> bool:
    return isinstance(x, Mention)


def relations_from(seq: list) -> list[RelationSpec]:
    from scene_gym.assets import factories

    all_f = factories()
    out: list[RelationSpec] = []

    def placement(cat: str) -> str:
        f = all_f.get(cat)
        return f.placement if f is not None else "floor"

    def small(cat: str) -> bool:
        f = all_f.get(cat)
        return bool(f and (f.small or f.placement == "surface"))

    def add(rel: str, subject: str, target: str | None = None, wall: str | None = None) -> None:
        if target == subject and rel not in ("side_by_side", "back_to_back", "across_from"):
            return
        if subject.startswith(UNRESOLVED) or (target or "").startswith(UNRESOLVED):
            return  # relations name categories; an unresolved request has none
        spec = RelationSpec(rel, subject, target, wall)
        if spec not in out:
            out.append(spec)

    def back(p: int, clause: int) -> int | None:
        """Index of the last mention before ``p`` in ``clause``."""
        for k in range(p - 1, -1, -1):
            if seq[k].clause != clause:
                return None
            if is_mention(seq[k]):
                return k
        return None

    def forward(p: int, sentence: int, limit: int = 7):
        """(kind, value, index, sides) of the first mention, architecture word or pronoun after ``p``."""
        sides: list[str] = []
        for k in range(p + 1, min(len(seq), p + 1 + limit)):
            x = seq[k]
            if x.sentence != sentence:
                break
            if is_mention(x):
                return "mention", x, k, sides
            if x.kind in ("arch", "pron"):
                return x.kind, x.value, k, sides
            if x.kind == "side":
                sides.append(x.value)
            elif x.kind in ("rel", "punct", "room", "break"):
                break
        return None, None, None, sides

    def next_mention(k: int, sentence: int) -> int | None:
        for j in range(k + 1, len(seq)):
            if seq[j].sentence != sentence:
                return None
            if is_mention(seq[j]):
                return j
        return None

    def antecedent(k: int, exclude: str) -> Mention | None:
        """What "it"/"them" stands for: the last mention before index ``k`` of another category."""
        sentence = seq[k].sentence
        for j in range(k - 1, -1, -1):
            if seq[j].sentence < sentence - 1:
                return None
            if is_mention(seq[j]) and seq[j].category != exclude:
                return seq[j]
        return None

    def coordinated(k: int) -> list[str]:
        """The subject at ``k`` and those joined to it by "and"/"or" ("3 plates and 2 mugs on the table")."""
        cats = [seq[k].category]
        j = k - 1
        while j >= 1 and not is_mention(seq[j]) and seq[j].kind == "reset" and seq[j].value in ("and", "or"):
            if not is_mention(seq[j - 1]) or seq[j - 1].clause != seq[k].clause:
                break
            cats.insert(0, seq[j - 1].category)
            j -= 2
        return cats

    def binary(word: str, s: str, t: str, k_t: int, sentence: int) -> None:
        simple = {"next_to": "next_to", "near": "near", "across_from": "across_from", "facing": "facing",
                  "under": "under", "in_front_of": "in_front_of", "behind": "behind", "left_of": "left_of",
                  "right_of": "right_of", "far": "far", "against": "next_to", "side_by_side": "side_by_side",
                  "back_to_back": "back_to_back", "facing_each_other": "across_from", "on": "on_top_of",
                  "around": "around"}  # fmt: skip
        if word in simple:
            add(simple[word], s, t)
        elif word == "surrounded_by":
            add("around", t, s)
        elif word == "flanked_by":
            add("next_to", t, s)
        elif word == "with":
            if small(t) and not small(s) and placement(s) == "floor":
                add("on_top_of", t, s)
        elif word == "between":
            add("next_to", s, t)
            kind, val, _, _ = forward(k_t, sentence, limit=4)
            if kind == "mention":
                add("next_to", s, val.category)

    for p, x in enumerate(seq):
        if is_mention(x) or x.kind != "rel":
            continue
        word, sentence = x.value, x.sentence
        k_s = back(p, x.clause)
        kind, val, k_t, sides = forward(p, sentence)
        if k_s is None:
            # A fronted phrase: "Next to the bed, place a nightstand" / "In the corner, a floor lamp".
            if kind == "mention" and word in ("in_corner", "middle"):
                add(word, val.category)
                continue
            if kind == "mention" and word != "with":
                k_after = next_mention(k_t, sentence)
                if k_after is not None:
                    binary(word, seq[k_after].category, val.category, k_t, sentence)
                    continue
            if p > 0 and not is_mention(seq[p - 1]) and seq[p - 1].kind == "punct":
                k_s = back(p - 1, seq[p - 1].clause)  # "a sofa, facing the TV"
            if k_s is None:
                continue
        subj = seq[k_s]
        if kind == "pron":
            val = antecedent(k_s, subj.category) if val in ("it", "them") else None
            kind = "mention" if val is not None else None
        if word in ("facing_each_other", "side_by_side", "back_to_back") and kind != "mention":
            other = None
            for j in range(k_s - 1, -1, -1):
                y = seq[j]
                if y.clause != subj.clause or (not is_mention(y) and y.kind == "rel"):
                    break
                if is_mention(y):
                    other = y
                    break
            rel = "across_from" if word == "facing_each_other" else word
            if other is not None:
                add(rel, other.category, subj.category)
            elif subj.plural or subj.count >= 2:
                add(rel, subj.category, subj.category)
            continue
        if word in ("in_corner", "middle"):
            add(word, subj.category)
        elif kind == "mention":
            subjects = [subj.category]
            if word == "facing":
                subjects = coordinated(k_s)
            elif word == "on" and small(subj.category):
                subjects = [c for c in coordinated(k_s) if small(c)]
            for s_cat in subjects:
                binary(word, s_cat, val.category, k_t, sentence)
        elif kind == "arch":
            side = sides[-1] if sides else None
            where = placement(subj.category)
            if val == "wall" and word in ("against", "on", "next_to", "near"):
                if where == "wall" or (word == "on" and where != "floor"):
                    add("on_wall", subj.category, wall=side)
                else:
                    add("against_wall", subj.category, wall=side)
            elif val == "ceiling" and word == "on":
                add("on_ceiling", subj.category)
            elif val == "corner" and word in ("near", "next_to", "against"):
                add("in_corner", subj.category)
    return out
