"""Check that the notebooks' math reads on GitHub as in Jupyter: `python .ci/mathcheck.py [NOTEBOOK ...]`.

Jupyter takes the math out of a markdown cell before rendering the markdown, and hands it to MathJax untouched.
GitHub renders the markdown first (github/markup#1575, #1577, #1746), so inside math it:
- consumes backslash escapes: `\\{` `\\}` `\\,` `\\!` `\\%` `\\\\` reach MathJax as `{` `}` `,` `!` `%` `\\`, which drops braces,
  prints commas, turns the rest of the formula into a TeX comment, or joins the rows of a `cases`;
- pairs underscores (or asterisks) that follow a `}` or `)`, as in `\\mathbf{x}_{i} = \\mathbf{y}_{i}`, into emphasis;
- reads a line of a `$$` block that starts with `+ `, `- ` or `1. ` as a list.
This renders each markdown cell both ways (markdown-it, CommonMark with tables) and fails on every formula that
does not reach MathJax on GitHub exactly as it does in Jupyter. Forms that read alike in both: `\\lbrace` `\\rbrace`,
`\\thinspace`, `\\negthinspace`, `\\cr`, `\\Vert`; `_ {` (a space after the underscore) after a closing brace; the
percent sign outside the math; a leading `+` moved to the end of the line above.
"""
import argparse, html, json, re, sys
from pathlib import Path
from markdown_it import MarkdownIt
sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported from its file
from outputs import committed

NBS = Path(__file__).resolve().parent.parent/'nbs'
MD = MarkdownIt('commonmark').enable(['table', 'strikethrough'])
SPLIT = re.compile(r'(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\(?:\(|\)|\[|\]))', re.I)

def remove_math(text):
    "(`text` with each formula replaced by @@i@@, the formulas): JupyterLab's `removeMath` (rendermime/src/latex.ts), ported."
    math, start, end, last, braces = [], None, None, None, 0
    code = '`' in text or '~~~' in text  # a `$` inside a code span or fence is no delimiter
    if code:
        text = text.replace('~', '~T')
        text = re.sub(r'^(`{3,}|(?:~T){3,})[^`\n]*\n[\s\S]*?^\1`*$', lambda m: m[0].replace('$', '~D'), text, flags=re.M)
        text = re.sub(r'(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)', lambda m: m[0].replace('$', '~D'), text, flags=re.M)
    untilde = (lambda t: re.sub(r'~([TD])', lambda m: '~' if m[1] == 'T' else '$', t)) if code else (lambda t: t)
    blocks = SPLIT.split(text.replace('\r\n', '\n'))

    def take(i, j):  # blocks[i..j] are one formula
        block = untilde(''.join(blocks[i:j + 1]))
        blocks[i:j + 1] = [f'@@{len(math)}@@'] + [''] * (j - i)
        math.append(block)

    i = 1
    while i < len(blocks):
        b = blocks[i]
        if b.startswith('@'): blocks[i] = f'@@{len(math)}@@'; math.append(b)
        elif start is not None:
            if b == end:
                if braces: last = i
                else: take(start, i); start = end = last = None
            elif re.search(r'\n.*\n', b):  # a blank line ends any formula
                if last is not None: i = last; take(start, i)
                start = end = last = None; braces = 0
            elif b == '{': braces += 1
            elif b == '}' and braces: braces -= 1
        elif b in ('$', '$$'): start, end, braces = i, b, 0
        elif b in ('\\\\(', '\\\\['): start, end, braces = i, '\\\\)' if b.endswith('(') else '\\\\]', 0
        elif b[1:6] == 'begin': start, end, braces = i, '\\end' + b[6:], 0
        i += 2
    if start is not None and last is not None: take(start, last)
    return untilde(''.join(blocks)), math

def problems_of(src):
    "The formulas of markdown `src` that GitHub hands MathJax otherwise than Jupyter does, and whether the rest renders alike."
    text, math = remove_math(src)
    github = MD.render(src)
    jupyter = re.sub(r'@@(\d+)@@', lambda m: html.escape(math[int(m[1])], quote=False), MD.render(text))
    bad = [f for f in math if html.escape(f, quote=False) not in github.replace('&quot;', '"')]
    if not bad and html.unescape(github) != html.unescape(jupyter): bad = ['(the text around the math renders differently)']
    return bad

def check(notebooks=None):
    "Problems as 'notebook cell: formula' lines, of `notebooks` (default: those .ci/outputs.py reads)."
    problems = []
    for p in notebooks or committed():
        for c in json.loads(p.read_text())['cells']:
            if c['cell_type'] == 'markdown':
                for f in problems_of(''.join(c['source'])):
                    problems.append(f"{p.resolve().relative_to(NBS.parent) if p.resolve().is_relative_to(NBS.parent) else p} "
                                    f"cell {c.get('id')}: {f[:160]!r}")
    return problems

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='*', type=Path, help="notebooks to check (default: every committed one)")
    a = ap.parse_args()
    if missing := [str(p) for p in a.notebooks if not p.is_file()]: ap.error(f"no such notebook: {', '.join(missing)}")
    problems = check(a.notebooks)
    print('\n'.join(problems) or 'notebook math: every formula reaches MathJax on GitHub as in Jupyter')
    sys.exit(1 if problems else 0)
