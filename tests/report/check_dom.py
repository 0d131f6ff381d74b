#!/usr/bin/env python3
"""DOM assertions on the fact-check page as headless Chromium built it (run.sh dumps them).

Usage: check_dom.py OUT_DIR   (reads OUT_DIR/*.dom.html and OUT_DIR/seeds.check.json)
"""
import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def hidden(self):
        """Hidden by the filters or the hidden attribute, itself or through an ancestor."""
        return any("off" in n.classes() or "hidden" in n.attrs for n in [self, *self.ancestors()])


class Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, attrs, self.at))

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.text += data


def load(path):
    builder = Builder()
    with open(path, encoding="utf-8") as f:
        builder.feed(f.read())
    return builder.root


failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def items(root):
    return [n for n in root.walk() if "data-o" in n.attrs]


def check_seeds(out):
    with open(f"{out}/seeds.check.json", encoding="utf-8") as f:
        diagnostics = json.load(f)["diagnostics"]
    contradictions = sum(d["code"] == "contradicting-figure" for d in diagnostics)

    page = load(f"{out}/seeds.noscript.dom.html")
    nodes = list(page.walk())
    form = next(n for n in nodes if n.attrs.get("id") == "filters")
    expect("hidden" in form.attrs, "without script the filter form stays hidden")
    expect(not any("off" in n.classes() for n in nodes), "without script nothing is filtered out")
    keys = [n for n in nodes if n.tag == "section" and "key" in n.classes()]
    expect(len(keys) >= 10, f"the seeds have their quantity keys ({len(keys)})")
    for key in keys:
        svgs = [n for n in key.walk() if n.tag == "svg" and "tl" in n.classes()]
        rects = [n for n in key.walk() if n.tag == "rect" and "m" in n.classes()]
        rows = [n for n in key.walk() if n.tag == "tr" and n.attrs.get("id", "").startswith("f")]
        expect(len(svgs) == 1, f"key {key.attrs.get('data-key')}: one timeline, found {len(svgs)}")
        expect(len(rects) == len(rows) > 0, f"key {key.attrs.get('data-key')}: a mark per figure ({len(rects)} marks, {len(rows)} rows)")
        for rect in rects:
            link = rect.parent
            expect(link.tag == "a" and link.attrs.get("href", "").startswith("#f"), "a mark links to its row")
    marked = [n for n in nodes if n.tag == "rect" and "contradicted" in n.classes()]
    expect(len(marked) == contradictions > 0, f"{contradictions} contradicting-figure findings, {len(marked)} contradicted marks")
    for section in ["summary", "figures", "quotes", "uncited", "entities", "sources"]:
        found = [n for n in nodes if n.attrs.get("id") == section]
        expect(len(found) == 1 and not found[0].hidden(), f"section #{section} is there and visible")
    conflict = [n for n in nodes if "conflict" in n.classes()]
    expect(len(conflict) >= 1, "the seeds' conflicting attribution is highlighted")
    links = [n for n in nodes if n.tag == "a" and "loc" in n.classes()]
    expect(links and all(n.attrs["href"].startswith("./") for n in links), "file:line links are relative")
    expect(any(n.tag == "a" and n.attrs.get("href", "").startswith("https://www.stripes.com/") for n in nodes), "articles link to their url")
    expect(not any(n.tag in ("img", "link", "iframe") or (n.tag == "script" and "src" in n.attrs) for n in nodes), "nothing is loaded")

    page = load(f"{out}/seeds.script.dom.html")
    form = next(n for n in page.walk() if n.attrs.get("id") == "filters")
    expect("hidden" not in form.attrs, "with script the filter form shows")
    expect(not any("off" in n.classes() for n in page.walk()), "no filter: everything shows")

    page = load(f"{out}/seeds.contradicting.dom.html")
    shown = [n for n in items(page) if not n.hidden()]
    expect(shown, "the contradiction filter leaves the contradicted figures")
    expect(all("contradicting-figure" in n.attrs["data-f"].split() for n in shown), "the contradiction filter shows only contradicted items")
    expect(sum(n.tag == "rect" or (n.tag == "a" and n.children and n.children[0].tag == "rect") for n in shown) > 0, "contradicted marks stay visible")
    hidden_keys = [n for n in page.walk() if n.tag == "section" and "key" in n.classes() and n.hidden()]
    expect(hidden_keys, "keys without a contradiction are hidden")

    page = load(f"{out}/seeds.outlet.dom.html")
    shown = [n for n in items(page) if not n.hidden()]
    expect(shown and all(n.attrs["data-o"] == "o1" for n in shown), "the outlet filter shows only that outlet's items")
    expect(len(shown) < len(items(page)), "the outlet filter hides the other outlets")

    page = load(f"{out}/seeds.key.dom.html")
    shown = [n for n in items(page) if not n.hidden()]
    expect(shown and all(n.attrs["data-k"] == "k0" for n in shown), "the key filter shows only that key's figures")
    sections = [n for n in page.walk() if n.tag == "section" and "key" in n.classes() and not n.hidden()]
    expect([n.attrs.get("id") for n in sections] == ["k0"], f"the key filter leaves one section ({[n.attrs.get('id') for n in sections]})")


def check_hostile(out):
    page = load(f"{out}/hostile.script.dom.html")
    nodes = list(page.walk())
    html = next(n for n in nodes if n.tag == "html")
    expect("data-pwned" not in html.attrs, "no script from an article ran")
    expect(sum(n.tag == "script" for n in nodes) == 1, "one script element: the page's own")
    expect(sum(n.tag == "style" for n in nodes) == 1, "one style element: the page's own")
    for node in nodes:
        expect(node.tag not in ("img", "iframe", "b", "object", "embed"), f"no element from an article: <{node.tag}>")
        for name, value in node.attrs.items():
            expect(not name.startswith("on"), f"no event handler attribute: {name}")
            if name in ("href", "src") and value is not None:
                expect(value.startswith(("#", "./", "http://", "https://")), f"no script url: {name}={value}")
    text = "".join(n.text for n in nodes)
    expect("<img src=x onerror=alert(1)> we stay </style>" in text, "the hostile quote shows as text")
    expect("<script>document.documentElement.setAttribute('data-pwned','title')</script>" in text, "the hostile title shows as text")


out = sys.argv[1]
check_seeds(out)
check_hostile(out)
if failures:
    for failure in failures:
        print("FAIL", failure)
    sys.exit(1)
print("check_dom: seeds (without script, with script, three filters) and the hostile page pass")
