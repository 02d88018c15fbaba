"""User-controlled strings render as exactly their text, never as markup."""
import html
import re

import pytest
from markdown_it import MarkdownIt

from engine.plots.text import plot_text, plot_texts
from ui.text import md_text

HOSTILE = [
    "![x](http://evil.example/pixel.png)", "[click](http://evil.example)", ":red[spoofed]",
    "**bold** __also__ *it* ~~gone~~", "$\\href{http://evil.example}{x}$", "<b>b</b><img src=x>",
    "# heading", "> quote", "- item", "1. item", "`code`", "http://evil.example/autolink",
    "www.evil.example", ":smile: :material/home:", "&lt;b&gt;", "a\\*b", "line 2: plain (text)",
    "new_york", "two\nlines\x00", "<http://evil.example>", "[x]: http://evil.example",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_as_exactly_the_text(text):
    # CommonMark with GFM tables and strikethrough, rendered by markdown-it: the
    # escaped text must come out as one plain paragraph holding the original characters
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    rendered = renderer.render(md_text(text)).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert not re.search(r"<(?!br)", inner), rendered        # no tag at all
    assert html.unescape(inner).replace("\u2060", "") == text.replace("\n", "\\n").replace("\x00", "\\x00")


def test_markdown_escape_leaves_ordinary_text_alone():
    assert md_text("line 2: expected a word and 3 numbers, found 2 (rows the same)") == \
        "line 2: expected a word and 3 numbers, found 2 (rows the same)"
    assert md_text("glove-6b-50d · centred") == "glove-6b-50d · centred"


def test_bare_addresses_are_broken_by_an_invisible_joiner():
    # Streamlit's markdown links bare addresses after parsing, so escapes do not stop it
    assert md_text("see http://evil.example") == "see http\\:\u2060//evil.example"
    assert md_text("www.evil.example") == "www\u2060.evil.example"


def test_katex_and_directives_are_escaped():
    # markdown-it knows neither KaTeX nor Streamlit's :colour[...] directives: check their
    # opening characters directly
    assert md_text("$x$") == "\\$x\\$"
    assert md_text(":red[x]") == "\\:red\\[x\\]"


def test_plot_text_escapes_html():
    assert plot_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert plot_texts(["<a href='u'>", 3]) == ["&lt;a href='u'&gt;", "3"]
    assert html.unescape(plot_text("<br>&amp;")) == "<br>&amp;"
