/// The report's inline style sheet: system fonts, a heatmap whose cells also carry text, focus rings,
/// and print rules that open every detail and drop navigation.
enum HTMLStyle {
    static let css = """
    :root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa;
      --bad: #b42318; --good: #1a7f37; --warn: #9a6700; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
    header, main { max-width: 1200px; margin: 0 auto; padding: 0 1rem; }
    h1 { font-size: 1.5rem; margin: 1rem 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
    h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
    .meta, .note { color: var(--muted); font-size: .9rem; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
    a:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
    .verdict { font-size: 1.15rem; font-weight: 600; padding: .75rem 1rem; border-radius: 6px; border: 2px solid; }
    .verdict-regressed { color: var(--bad); border-color: var(--bad); background: #fff5f5; }
    .verdict-passed { color: var(--good); border-color: var(--good); background: #f3fff6; }
    .verdict-none { color: var(--muted); border-color: var(--line); background: var(--soft); }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; margin: .5rem 0; } caption { text-align: left; color: var(--muted); padding: .25rem 0; }
    th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
    thead th { background: var(--soft); }
    .matrix td { min-width: 11rem; } .matrix .score { font-size: 1.1rem; font-weight: 600; }
    .h0 { background: #fde2e1; } .h1 { background: #fdebd3; } .h2 { background: #fdf4c6; } .h3 { background: #e8f5d0; } .h4 { background: #cdeccf; }
    .hn { background: var(--soft); }
    .tag { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .35rem; border-radius: 3px; border: 1px solid currentColor; }
    .tag-fail, .tag-error, .tag-timeout, .tag-regressed { color: var(--bad); } .tag-pass, .tag-improved { color: var(--good); }
    .tag-unscored, .tag-inconclusive, .tag-flat { color: var(--warn); } .tag-unchanged { color: var(--muted); }
    figure { margin: 1rem 0; display: inline-block; vertical-align: top; } figcaption { font-size: .9rem; max-width: 460px; }
    svg { background: #fff; } svg text { font: 11px system-ui, sans-serif; fill: #1b1f24; }
    details { border: 1px solid var(--line); border-radius: 6px; margin: .35rem 0; } summary { cursor: pointer; padding: .4rem .6rem; }
    details[open] summary { border-bottom: 1px solid var(--line); }
    .tiers { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: .5rem; padding: .5rem; }
    .tiers > div { border: 1px solid var(--line); border-radius: 4px; padding: .5rem; min-width: 0; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: .5rem; max-height: 24rem; overflow: auto; font-size: .85rem; }
    ul.scores { padding-left: 1.1rem; margin: .25rem 0; }
    @media print {
      .skip { display: none; } body { font-size: 11pt; } h2 { break-after: avoid; } figure, tr, .tiers > div { break-inside: avoid; }
      details::details-content { content-visibility: visible; display: block; }
      pre { max-height: none; overflow: visible; } a { color: inherit; } .scroll { overflow: visible; }
    }
    """
}
