"""How long Debian's Chromium (no GPU, as on a projector PC) takes to draw the whole GloVe
table, 400,000 words, as a PCA map: on the Map page of the real app (from pressing Enter in
"Words" to the drawn map, on the page's own clock), and the figure alone in a bare Plotly page,
against the figure the Map page sent before (every point in one WebGL trace with its word as
hover text, as `old_figure` below), drawn in the same bare page in the same run.

Needs the test set-up (playwright, /usr/bin/chromium): make bench does it.
Run: .venv/bin/python bench/bench_map_draw.py
"""
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from tests.browser import CHROME_ARGS, CHROMIUM, serving, settle, wait_until_idle  # noqa: E402

ROWS = 400_000
BARE_PAGE = """<html><body><div id="map" style="width:1100px;height:680px"></div>
<script src="{plotly}"></script><script id="spec" type="application/json">{spec}</script>
<script>
window.drawn = (async () => {{
  const start = performance.now();
  const figure = JSON.parse(document.getElementById("spec").textContent);
  await Plotly.newPlot("map", figure.data, figure.layout);
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return (performance.now() - start) / 1000;
}})();
</script></body></html>"""

# Polls every frame after the key press until the map holds all rows (points or density).
WATCH_MAP = """rows => { window.__mapDrawn = new Promise(resolve => {
  let start = performance.now();
  document.addEventListener("keydown", event => { start = event.timeStamp; }, {once: true, capture: true});
  const check = () => {
    const map = document.querySelector(".js-plotly-plot");
    const data = map && map._fullData ? map._fullData : [];
    const dense = data.some(t => t.type === "heatmap") && map.querySelector(".hm image");
    const points = data.reduce((n, t) => n + (t.type === "scattergl" ? t._length || 0 : 0), 0);
    if (dense || points >= rows) requestAnimationFrame(() => resolve((performance.now() - start) / 1000));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}); }"""


def old_figure(coords: np.ndarray, words, colour: np.ndarray):
    """The Map page's figure before this benchmark: one Scattergl of every row, a word
    string per point for hover, int64 row indices."""
    import plotly.graph_objects as go

    rows = np.arange(coords.shape[0])
    return go.Figure(go.Scattergl(
        x=coords[:, 0], y=coords[:, 1], mode="markers", customdata=rows, text=[words[r] for r in rows],
        hovertemplate="%{text}<extra></extra>",
        marker=dict(size=3, color=colour, colorscale="Viridis", opacity=0.7)))


def bare_seconds(browser, figure, folder: Path, name: str) -> float:
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    page_file = folder / f"{name}.html"
    spec = figure.to_json().replace("</", "<\\/")
    page_file.write_text(BARE_PAGE.format(plotly=plotly_js.as_uri(), spec=spec))
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(page_file.as_uri())
    seconds = page.evaluate("window.drawn")
    page.close()
    return seconds


def app_seconds(browser, base: str, pid: int) -> float:
    """Enter in Words to the drawn map, once the server has settled after its first page
    (the MiniLM warm-up it starts then): a teacher's server has been up a while."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/map")
    settle(page)
    page.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
    wait_until_idle(pid)
    box = page.get_by_label("Words (most frequent first)", exact=True).and_(page.locator("input"))
    box.fill(str(ROWS))
    page.evaluate(WATCH_MAP, ROWS)
    box.press("Enter")
    seconds = page.evaluate("window.__mapDrawn")
    page.close()
    return seconds


def main() -> None:
    from playwright.sync_api import sync_playwright

    from engine.plots.maps import map_figure
    from engine.project import MapSpec, build_map
    from engine.sources import load_builtin

    glove = load_builtin("glove-6b-50d")
    coords = build_map(glove, MapSpec(method="pca", rows=ROWS)).coords
    rank = np.log10(np.arange(1, ROWS + 1, dtype=np.float32))
    new = map_figure(coords, glove.index_to_key, rank, "log₁₀ rank", ("PC1", "PC2"))
    old = old_figure(coords, glove.index_to_key, rank)
    sizes = {name: len(figure.to_json()) / 1e6 for name, figure in (("new", new), ("old", old))}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=CHROME_ARGS + ["--allow-file-access-from-files"])
        bare_new = bare_seconds(browser, new, Path(folder), "new")
        bare_old = bare_seconds(browser, old, Path(folder), "old")
        with serving() as (base, pid):
            page = app_seconds(browser, base, pid)
        browser.close()
    print(json.dumps({"rows": ROWS, "map_page_seconds": round(page, 2),
                      "bare_new_seconds": round(bare_new, 2), "bare_old_seconds": round(bare_old, 2),
                      "new_json_mb": round(sizes["new"], 1), "old_json_mb": round(sizes["old"], 1)}))
    print("| drawing the 400,000-word PCA map in Chromium | seconds | figure JSON |")
    print("|---|---:|---:|")
    print(f"| Map page, Enter in 'Words' to drawn map | {page:.1f} s | {sizes['new']:.1f} MB |")
    print(f"| the same figure in a bare Plotly page | {bare_new:.1f} s | |")
    print(f"| the figure sent before (every point WebGL, hover strings), bare page | {bare_old:.1f} s "
          f"| {sizes['old']:.1f} MB |")
    print(f"speed-up in the bare page: {bare_old / bare_new:.1f}×")


if __name__ == "__main__":
    main()
