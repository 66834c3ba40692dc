"""The report page: one string.Template, inline CSS, no network fetches."""

from __future__ import annotations

from string import Template

PAGE = Template("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330;
         max-width: 1180px; margin: 2rem auto; padding: 0 1rem; }
  h1 { margin-bottom: .2rem; } .meta { color: #5a6272; margin-top: 0; }
  table { border-collapse: collapse; margin: .6rem 0 1.4rem; font-size: 13px; }
  th, td { border-bottom: 1px solid #dde1e8; padding: .3rem .6rem; text-align: left;
           vertical-align: top; }
  thead th { background: #f3f5f9; }
  #kpi-table td, #kpi-table thead th { white-space: nowrap; font-size: 12px; }
  #kpi-table small { color: #5a6272; } .wide { overflow-x: auto; }
  .better { background: #e4f4e8; } .worse { background: #fbe5e4; } .differs { background: #eef0f6; }
  .na { color: #8a90a0; }
  #summary { background: #fffbe8; border-left: 4px solid #e0c250; padding: .2rem 1rem; }
  .error { color: #a4262c; }
  figure { margin: 1.2rem 0 2rem; } figure img { max-width: 100%; height: auto; }
  figcaption { color: #5a6272; font-size: 13px; }
  .note { background: #f7f8fb; border-left: 4px solid #9aa5b8; padding: .2rem 1rem; }
</style>
</head>
<body>
<h1>$scenario</h1>
<p class="meta">$meta</p>
<p>$description</p>
<section id="summary"><h2>What this study found</h2>$summary</section>
<section class="note" id="how-to-read"><h2>How to read this</h2>$how_to_read</section>
<h2>Variants</h2>
$variants
<h2>KPIs per variant (mean, 95% confidence interval, and difference from the baseline)</h2>
$kpi_table
<h2>Topology</h2>
$topology
<h2>Charts</h2>
$figures
</body>
</html>
""")
