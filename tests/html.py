"""Reading a rendered page the way a visitor does: its elements, their text and links.

Tests assert on the HTML a visitor gets, not on the view's context. `page(response)`
parses it into a small tree (the stdlib's html.parser, no dependency) that answers the
questions a test asks: which links a section lists, in which order, with which counts.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that never have an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list["Element | str"] = field(default_factory=list)

    def __getitem__(self, name: str) -> str | None:
        return self.attrs[name]

    def matches(self, tag: str | None, attrs: dict[str, str]) -> bool:
        """`class_` matches one of the classes; other attributes (`_` for `-`) exactly."""
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            if name == "class_":
                if value not in (self.attrs.get("class") or "").split():
                    return False
            elif self.attrs.get(name.replace("_", "-")) != value:
                return False
        return True

    def elements(self) -> list["Element"]:
        """The direct child elements, in order."""
        return [child for child in self.children if isinstance(child, Element)]

    def child(self, tag: str | None = None, **attrs: str) -> "Element":
        """The first direct child element that matches."""
        found = [e for e in self.elements() if e.matches(tag, attrs)]
        assert found, f"no <{tag} {attrs}> directly in <{self.tag} {self.attrs}>"
        return found[0]

    def find_all(self, tag: str | None = None, **attrs: str) -> list["Element"]:
        """Every descendant element that matches, in document order."""
        found = []
        for element in self.elements():
            if element.matches(tag, attrs):
                found.append(element)
            found += element.find_all(tag, **attrs)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> "Element":
        """The first descendant that matches in document order (the outermost of nested ones)."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in <{self.tag} {self.attrs}>"
        return found[0]

    def items(self) -> list["Element"]:
        """The items of a list: its direct <li> children (not those of lists inside them)."""
        return [element for element in self.elements() if element.tag == "li"]

    @property
    def text(self) -> str:
        """The text a visitor reads, whitespace collapsed."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag closes nothing.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def page(response) -> Element:
    """The parsed HTML of a response."""
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def counted_links(list_element: Element) -> list[tuple[str, int]]:
    """(href, count) of each item of a list of links with their count beside them:
    `<li><a href="...">Name</a> <span class="count">N</span> ...</li>`."""
    return [
        (item.child("a")["href"], int(item.child("span", class_="count").text))
        for item in list_element.items()
    ]
