#!/usr/bin/env python3
"""Counts elements in a DOM that headless Chromium dumped (--dump-dom).

    domcheck.py DOM.html 'SELECTOR>=N' ...

SELECTOR is '#id', '.class', 'tag.class', 'tag' or '#id tag.class' (one
level of descent). Each condition prints a TAP-style diagnostic; the exit
status is 1 when any condition fails."""
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, id, classes) of open elements
        self.elements = []  # (tag, id, classes, ancestors' ids)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        el = (tag, a.get("id"), set((a.get("class") or "").split()))
        ids = {e[1] for e in self.stack if e[1]}
        self.elements.append(el + (ids,))
        if tag not in ("meta", "br", "img", "input", "link", "hr"):
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        ids = {e[1] for e in self.stack if e[1]}
        self.elements.append((tag, a.get("id"), set((a.get("class") or "").split()), ids))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def match(el, simple):
    tag, eid, classes, _ = el
    if simple.startswith("#"):
        return eid == simple[1:]
    t, _, c = simple.partition(".")
    return (not t or t == tag) and all(x in classes for x in c.split(".") if x)


def count(dom, sel):
    parts = sel.split()
    if len(parts) == 2 and parts[0].startswith("#"):
        return sum(1 for e in dom.elements if parts[0][1:] in e[3] and match(e, parts[1]))
    return sum(1 for e in dom.elements if match(e, sel))


def main():
    dom = Dom()
    with open(sys.argv[1], encoding="utf-8") as f:
        dom.feed(f.read())
    bad = 0
    for cond in sys.argv[2:]:
        for op in (">=", "=="):
            if op in cond:
                sel, want = cond.split(op)
                break
        n = count(dom, sel)
        ok = n >= int(want) if op == ">=" else n == int(want)
        print(f"# {'ok' if ok else 'MISSING'}: {sel} {op} {want} (found {n})")
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
