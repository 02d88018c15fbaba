"""What a reader of a chart sees go wrong with its text, measured in real Chromium: text boxes
of one Plotly figure lying on each other, text cut by the figure's edge or by the plot area
that clips it, text Plotly shrank to fit a bar, and a legend too tall to show whole (Plotly
scrolls it). Used by the browser tests that walk every page and tab."""
from __future__ import annotations

# Each SVG text of a figure as the quadrilateral it covers on screen (its box through its own
# rotation), widened along its baseline by GAP/2 px each end and narrowed by a fifth of its
# height top and bottom (a text box holds the font's whole ascent and descent, more than its
# letters): two texts overlap when those quadrilaterals intersect (separating-axis test), so
# labels closer than GAP px side by side ("65" "65" read as "6565") count too.
CHART_TEXT = """() => {
  const GAP = 3, MIN_PX = 12;
  const quad = (el, grow) => {
    const b = el.getBBox(), m = el.getScreenCTM();
    if (!m || b.width <= 0 || b.height <= 0) return null;
    const dx = grow ? GAP / 2 : 0, dy = grow ? b.height / 5 : 0;
    return [[b.x - dx, b.y + dy], [b.x + b.width + dx, b.y + dy], [b.x + b.width + dx, b.y + b.height - dy],
            [b.x - dx, b.y + b.height - dy]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % 4], axis = [a[1] - b[1], b[0] - a[0]];
    const span = pts => pts.map(([x, y]) => x * axis[0] + y * axis[1]);
    const sp = span(p), sq = span(q);
    return Math.max(...sp) <= Math.min(...sq) || Math.max(...sq) <= Math.min(...sp);
  }));
  const out = ([x, y], r) => x < r.left - 1 || x > r.right + 1 || y < r.top - 1 || y > r.bottom + 1;
  // partly outside its clip path or the figure: cut (wholly outside a clip path: hidden, as
  // Plotly hides the text of a bar that ends off a log axis)
  const cutBy = (pts, r) => r && pts.some(p => out(p, r));
  const clipBox = el => {     // the screen rectangle of the clip path that cuts `el`, if any
    for (let node = el; node && node.tagName !== "svg"; node = node.parentNode) {
      const ref = node.getAttribute && node.getAttribute("clip-path");
      const rect = ref && document.getElementById(ref.slice(5, -1).replace(/['"]/g, ""))?.querySelector("rect");
      if (!rect) continue;
      const m = node.getScreenCTM(), x = +rect.getAttribute("x") || 0, y = +rect.getAttribute("y") || 0;
      const w = +rect.getAttribute("width"), h = +rect.getAttribute("height");
      return {left: m.e + x * m.a, top: m.f + y * m.d, right: m.e + (x + w) * m.a, bottom: m.f + (y + h) * m.d};
    }
    return null;
  };
  return [...document.querySelectorAll(".js-plotly-plot")].filter(plot => plot.checkVisibility()).map(plot => {
    const svg = plot.querySelector(".main-svg"), figure = svg.getBoundingClientRect();
    const texts = [...plot.querySelectorAll("svg text")]
      .filter(el => el.textContent.trim() && !el.closest(".hoverlayer")
              && el.checkVisibility({opacityProperty: true, visibilityProperty: true})
              && getComputedStyle(el).fillOpacity !== "0")
      .map(el => ({el, text: el.textContent.trim(), box: quad(el, true), whole: quad(el, false), clip: clipBox(el)}))
      .filter(t => t.box && !(t.clip && t.whole.every(p => out(p, t.clip))));   // not wholly clipped away
    const overlaps = [];
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (!apart(texts[i].box, texts[j].box)) overlaps.push([texts[i].text, texts[j].text]);
    const cut = texts.filter(t => cutBy(t.whole, t.clip) || t.whole.some(p => out(p, figure))).map(t => t.text);
    // Plotly shrinks a bar's label to the bar's width: below MIN_PX it cannot be read
    const shrunk = texts.filter(t => { const m = t.el.getScreenCTM();
        return parseFloat(getComputedStyle(t.el).fontSize) * Math.hypot(m.a, m.b) < MIN_PX; }).map(t => t.text);
    // a legend taller than Plotly allows it scrolls, its last entries out of sight
    const scrolls = [...plot.querySelectorAll(".legend rect.scrollbar")].some(bar => +bar.getAttribute("height") > 0);
    const title = plot.querySelector(".gtitle")?.textContent || texts[0]?.text || "";
    return {title: title.slice(0, 50), overlaps: overlaps.slice(0, 6), overlapping: overlaps.length,
            cut: cut.slice(0, 6), shrunk: shrunk.slice(0, 6), scrolls};
  });
}"""


def chart_text_problems(figures: list[dict], where: str) -> list[str]:
    """One line per figure (as CHART_TEXT measured them) whose text overlaps, is cut or shrunk."""
    found = []
    for figure in figures:
        name = f"{where}, figure {figure['title']!r}"
        if figure["overlapping"]:
            pairs = "; ".join(f"{a!r} on {b!r}" for a, b in figure["overlaps"])
            found.append(f"{name}: {figure['overlapping']} overlapping text pairs, e.g. {pairs}")
        if figure["cut"]:
            found.append(f"{name}: text cut: {figure['cut']}")
        if figure["shrunk"]:
            found.append(f"{name}: text shrunk under 12 px: {figure['shrunk']}")
        if figure["scrolls"]:
            found.append(f"{name}: legend scrolls, its last entries hidden")
    return found
