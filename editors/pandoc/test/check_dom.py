#!/usr/bin/env python3
"""DOM assertions on one rendered article, as Chromium dumped it (--dump-dom).

    check_dom.py SOURCE.news.md DOM.html WORKSPACE_DIR

What is expected comes from the article's own source and the workspace's definition
files, read here independently of the filter:
  * no literal `:::` or `[@` anywhere on the page (text or attribute values);
  * every quote `{by=ID}` is an element with data-by=ID whose tooltip (title) names
    the speaker: the `name:` of entity ID in the workspace;
  * every figure `{fig=KEY}` is an element with data-fig=KEY and a non-empty tooltip;
  * a front matter's title is the page's <h1> and its outlet is in the byline;
  * every citation is rendered as a link, and links to this page's anchors resolve;
  * every definition block of the source is a glossary entry (a <dt> with the block's id).
Prints one line per failure and exits 1 if there is any.
"""
import html.parser
import pathlib
import re
import sys

ID = r"[A-Za-z0-9][A-Za-z0-9._-]*"


def front_matter(text):
    match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*\r?\n", text, re.S)
    fields = {}
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and value.strip():
                fields[key.strip().lower()] = value.strip()
    return fields


def entity_names(workspace):
    """`name:` of every entity block, in both forms, of every *.news.md file."""
    names = {}
    opening = re.compile(
        r"^:::+\s*(?:entity\s+(" + ID + r")|\{(?=[^}]*\.entity\b)[^}]*#(" + ID + r")[^}]*\})\s*$"
    )
    for path in sorted(pathlib.Path(workspace).glob("*.news.md")):
        current = None
        for line in path.read_text(encoding="utf-8").splitlines():
            match = opening.match(line.strip())
            if match:
                current = match.group(1) or match.group(2)
            elif line.strip().startswith(":::"):
                current = None
            elif current and line.startswith("name:"):
                names.setdefault(current, line[len("name:"):].strip())
    return names


class Page(html.parser.HTMLParser):
    """The elements the assertions look at, with their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # open elements: dicts with tag, attrs, text parts
        self.elements = []  # closed elements of interest
        self.ids = set()
        self.attribute_values = []
        self.body_text = []
        self.in_body = False
        self.skip = 0  # inside <style>/<script>

    def handle_starttag(self, tag, attrs):
        attrs = dict((k, v or "") for k, v in attrs)
        self.attribute_values.extend(attrs.values())
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "body":
            self.in_body = True
        if tag in ("style", "script"):
            self.skip += 1
        if tag in ("br", "img", "meta", "link", "hr", "input"):
            return
        self.stack.append({"tag": tag, "attrs": attrs, "text": [], "children": []})

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1
        while self.stack:
            element = self.stack.pop()
            element["text"] = "".join(element["text"])
            self.elements.append(element)
            if self.stack:
                self.stack[-1]["children"].append(element)
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        if self.skip:
            return
        for element in self.stack:
            element["text"].append(data)
        if self.in_body:
            self.body_text.append(data)


def main():
    source_path, dom_path, workspace = sys.argv[1:4]
    source = pathlib.Path(source_path).read_text(encoding="utf-8")
    page = Page()
    page.feed(pathlib.Path(dom_path).read_text(encoding="utf-8"))
    failures = []
    text = " ".join(page.body_text)
    name = pathlib.Path(source_path).name

    for literal in (":::", "[@"):
        if literal in text:
            at = text.index(literal)
            failures.append(f"literal {literal!r} on the page: …{text[max(0, at - 40):at + 40]!r}…")
        if any(literal in value for value in page.attribute_values):
            failures.append(f"literal {literal!r} in an attribute value")

    def with_attr(key, value):
        return [e for e in page.elements if e["attrs"].get(key) == value]

    names = entity_names(workspace)
    quotes = re.findall(r"\]\{[^}]*\bby=(" + ID + r")", source)
    for speaker in sorted(set(quotes)):
        want = names.get(speaker)
        if want is None:
            failures.append(f"quote speaker {speaker!r} has no entity with a name in {workspace}")
            continue
        elements = with_attr("data-by", speaker)
        if len(elements) != quotes.count(speaker):
            failures.append(f"{quotes.count(speaker)} quotes by {speaker} in the source, {len(elements)} on the page")
        for element in elements:
            if want not in element["attrs"].get("title", ""):
                failures.append(f"quote by {speaker} does not name {want!r}: {element['text'][:60]!r}")

    figures = re.findall(r"\]\{[^}]*\bfig=(" + ID + r")", source)
    for key in sorted(set(figures)):
        elements = with_attr("data-fig", key)
        if len(elements) != figures.count(key):
            failures.append(f"{figures.count(key)} figures {key} in the source, {len(elements)} on the page")
        for element in elements:
            if not element["attrs"].get("title", "").strip():
                failures.append(f"figure {key} has no tooltip: {element['text']!r}")

    fields = front_matter(source)
    if fields.get("title"):
        headings = [e["text"].strip() for e in page.elements if e["tag"] == "h1"]
        if fields["title"] not in [" ".join(h.split()) for h in headings]:
            failures.append(f"title {fields['title']!r} is not the page's <h1> (found {headings!r})")
    if fields.get("outlet"):
        bylines = [e["text"] for e in page.elements if "newsmark-byline" in e["attrs"].get("class", "").split()]
        if not any(fields["outlet"] in " ".join(b.split()) for b in bylines):
            failures.append(f"outlet {fields['outlet']!r} is not in the byline (found {bylines!r})")

    cites = [e for e in page.elements if "newsmark-cite" in e["attrs"].get("class", "").split()]
    written = len(re.findall(r"(?<![\\\w])\[[^\]\[]*@" + ID, source))
    if len(cites) < written:
        failures.append(f"{written} bracketed citations in the source, {len(cites)} rendered")
    for cite in cites:
        links = [c for c in cite["children"] if c["tag"] == "a" and c["attrs"].get("href")]
        if not links:
            failures.append(f"citation is not a link: {cite['text']!r}")
        for link in links:
            href = link["attrs"]["href"]
            if href.startswith("#") and href[1:] not in page.ids:
                failures.append(f"citation link {href} points at no element of the page")

    definition = re.compile(
        r"^:::+\s*(?:(?:entity|source|quantity)\s+(" + ID + r")|\{(?=[^}]*\.(?:entity|source|quantity)\b)[^}]*#(" + ID + r")[^}]*\})\s*$"
    )
    defined = [m.group(1) or m.group(2) for m in map(definition.match, (l.strip() for l in source.splitlines())) if m]
    entries = set()
    for element in page.elements:
        if element["tag"] == "dt":
            entries.update(c["attrs"].get("id") for c in element["children"])
    for ident in defined:
        if ident not in entries:
            failures.append(f"definition {ident!r} is not a glossary entry")

    for failure in failures:
        print(f"FAIL {name}: {failure}")
    print(f"{name}: {len(set(quotes))} speakers, {len(figures)} figures, {len(cites)} citations, {len(defined)} definitions checked"
          + (f", {len(failures)} failure(s)" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
