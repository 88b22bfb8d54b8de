"""report.html (a self-contained page: header with the input's attributes, one captioned figure
after another) and figures.tsv (file, title, one-sentence description per figure). No timestamps:
the same inputs give the same bytes."""

import html
import os

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1250px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
table.attributes { border-collapse: collapse; margin: 1em 0 2em; font-size: 0.92em; }
table.attributes th { text-align: left; padding: 0.25em 1em 0.25em 0; vertical-align: top; white-space: nowrap;
                      color: #555; font-weight: normal; }
table.attributes td { padding: 0.25em 0; font-family: "DejaVu Sans Mono", monospace; word-break: break-word; }
nav ol { columns: 2; font-size: 0.95em; }
figure { margin: 2.5em 0; border-top: 1px solid #ddd; padding-top: 1em; }
figure h2 { font-size: 1.2em; margin: 0 0 0.5em; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.92em; color: #333; margin-top: 0.5em; }
""".strip()


def clean(text):
    """One line, no tabs (for figures.tsv)."""
    return " ".join(str(text).split())


def write_figures_tsv(out_dir, records):
    with open(os.path.join(out_dir, "figures.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(f"{clean(r.file)}\t{clean(r.title)}\t{clean(r.description)}\n")


def write_html(out_dir, heading, attributes, records):
    """heading: the page title; attributes: (name, value) rows of the header table."""
    e = html.escape
    rows = "\n".join(f"<tr><th>{e(name)}</th><td>{e(str(value))}</td></tr>" for name, value in attributes)
    contents = "\n".join(f'<li><a href="#{e(anchor(r.file))}">{e(r.title)}</a></li>' for r in records)
    figures = "\n".join(
        f'<figure id="{e(anchor(r.file))}">\n<h2>{i}. {e(r.title)}</h2>\n'
        f'<img src="{e(r.file)}" alt="{e(r.title)}">\n'
        f"<figcaption>{e(r.caption)}</figcaption>\n</figure>"
        for i, r in enumerate(records, start=1))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(heading)}</title>
<style>
{STYLE}
</style>
</head>
<body>
<h1>{e(heading)}</h1>
<table class="attributes">
{rows}
</table>
<nav><ol>
{contents}
</ol></nav>
{figures}
</body>
</html>
"""
    with open(os.path.join(out_dir, "report.html"), "w", encoding="utf-8", newline="\n") as f:
        f.write(page)


def anchor(file_name):
    return os.path.splitext(file_name)[0]
