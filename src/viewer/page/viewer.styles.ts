/** The page's style sheet; state colours are shared by the DAG nodes, badges and the legend. */
export const VIEWER_CSS = `
:root {
  --bg: #f6f7f9; --fg: #1d2430; --muted: #667085; --line: #d0d5dd; --panel: #fff; --accent: #2f6fde;
  --never: #f2f4f7; --embryo: #e4e7ec; --in_progress: #7cb3ff; --processed: #4caf72; --noop: #a6d9b9; --invalid: #e5484d; --canceled: #f5a524;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column; }
h1 { font-size: 17px; margin: 0; }
h2 { font-size: 14px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 14px 0 6px; }
button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
button.link { border: 0; background: none; color: var(--accent); padding: 2px 0; }
input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; }
.topbar { display: flex; align-items: center; gap: 16px; padding: 10px 16px; background: #1d2430; color: #fff; }
.live { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #475467; }
body[data-live="connected"] .live { background: #2e7d4f; }
.token-form { margin-left: auto; display: flex; gap: 8px; align-items: center; }
.layout { flex: 1; display: flex; min-height: 0; }
.sidebar { width: 220px; padding: 14px; border-right: 1px solid var(--line); overflow: auto; background: var(--panel); }
.sidebar section + section { margin-top: 18px; }
.list { list-style: none; margin: 0; padding: 0; }
.list li { display: flex; justify-content: space-between; align-items: center; gap: 8px; padding: 5px 8px; border-radius: 6px; cursor: pointer; }
.list li:hover { background: #eef2f6; }
.list li.selected { background: #dde8fb; }
.list .sub { color: var(--muted); font-size: 12px; }
.list li > span:first-child { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.list li > .badge { flex: none; }
.graph-area { flex: 1; display: flex; flex-direction: column; min-width: 0; padding: 14px; gap: 10px; }
.run-bar { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.run-bar h2 { margin: 0 8px 0 0; }
.run-bar input { width: 120px; }
.badge { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: var(--embryo); }
.badge:empty { display: none; }
.message { padding: 8px 12px; border-radius: 6px; background: #fdecec; color: #8a1c1c; border: 1px solid #f5c2c2; }
.message.info { background: #eaf2ff; color: #1d3f7a; border-color: #bcd3fb; }
.tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--line); }
.tabs button { border-radius: 6px 6px 0 0; border-bottom: 0; }
.tabs button[aria-selected="true"] { background: var(--accent); color: #fff; border-color: var(--accent); }
.view { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; gap: 8px; }
.canvas { flex: 0 1 auto; min-height: 0; overflow: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
#dag { display: block; margin: 0 auto; max-width: none; }
.pager { display: flex; gap: 8px; align-items: center; }
.grid-scroll { flex: 0 1 auto; min-height: 0; overflow: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.grid { display: inline-block; min-width: 100%; font-size: 12px; padding: 2px; }
.grid-head, .grid-row { display: flex; gap: 2px; align-items: center; margin-bottom: 2px; }
.grid-head { position: sticky; top: 0; z-index: 2; background: var(--panel); align-items: flex-end; }
.grid-row { height: 16px; content-visibility: auto; contain-intrinsic-size: auto 16px; }
.grid .name { position: sticky; left: 0; z-index: 1; width: 200px; flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; background: var(--panel); padding-right: 6px; }
.grid .corner { color: var(--muted); align-self: flex-end; }
.grid .col { width: 18px; flex: none; writing-mode: vertical-rl; transform: rotate(180deg); font-size: 11px; padding: 3px 0; border-radius: 3px; cursor: pointer; color: var(--fg); }
.grid .col.current { outline: 2px solid var(--accent); }
.grid .cell { width: 18px; height: 16px; flex: none; border-radius: 3px; cursor: pointer; }
.grid .cell.state-never { background: var(--never); outline: 1px dashed #d0d5dd; outline-offset: -1px; }
.grid .cell:hover { outline: 2px solid var(--fg); }
.history { width: 100%; border-collapse: collapse; font-size: 12px; background: var(--panel); }
.history th, .history td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eaecf0; }
.history tbody tr { cursor: pointer; }
.history tbody tr.selected { background: #dde8fb; }
.gantt { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow: auto; font-size: 12px; }
.gantt-axis { color: var(--muted); margin-left: 190px; }
.gantt-row { display: flex; align-items: center; height: 24px; }
.gantt-label { width: 190px; flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-right: 8px; }
.gantt-track { position: relative; flex: 1; height: 18px; min-width: 240px; background: #f9fafb; }
.bar { position: absolute; top: 0; height: 18px; border-radius: 3px; border: 1px solid #475467; min-width: 3px; }
.bar-text { position: absolute; left: 3px; white-space: nowrap; font-size: 11px; line-height: 16px; }
.bar.late .bar-text { left: auto; right: calc(100% + 4px); }
.legend .state-never::before { outline: 1px dashed #98a2b3; outline-offset: -1px; }
.actions code { font-size: 11px; white-space: pre-wrap; word-break: break-all; }
.legend { display: flex; gap: 14px; list-style: none; margin: 0; padding: 0; font-size: 12px; color: var(--muted); }
.legend li::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; background: var(--embryo); }
.node.terminal circle { fill: #fff; }
${['never', 'embryo', 'in_progress', 'processed', 'noop', 'invalid', 'canceled']
  .map(
    (s) =>
      `.legend .state-${s}::before, .badge.state-${s}, .node.state-${s} rect, .node.state-${s} circle, .grid .state-${s}, .bar.state-${s} { background: var(--${s}); fill: var(--${s}); }`,
  )
  .join('\n')}
.node { cursor: pointer; }
.node rect, .node circle { stroke: #475467; stroke-width: 1; }
.node.selected rect { stroke: var(--accent); stroke-width: 3; }
.node.state-invalid rect { stroke: #9b1c1f; stroke-width: 2.5; }
.node.state-in_progress rect { animation: pulse 1s ease-in-out infinite alternate; }
@keyframes pulse { from { opacity: 1; } to { opacity: .55; } }
.node text { font-size: 12px; text-anchor: middle; dominant-baseline: central; pointer-events: none; }
.node .meta { font-size: 10.5px; fill: #344054; }
.node .mark { font-weight: 700; fill: #fff; }
.edge { fill: none; stroke: #98a2b3; stroke-width: 1.5; }
.panel { width: 370px; padding: 14px; border-left: 1px solid var(--line); overflow: auto; background: var(--panel); }
.panel header { display: flex; justify-content: space-between; align-items: center; }
.details { display: grid; grid-template-columns: auto 1fr; gap: 3px 12px; margin: 8px 0; }
.details dt { color: var(--muted); }
.details dd { margin: 0; word-break: break-word; }
.step-buttons { display: flex; gap: 8px; }
.actions { width: 100%; border-collapse: collapse; font-size: 12px; }
.actions th, .actions td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eaecf0; }
.actions .inferred { color: var(--muted); font-style: italic; }
.log { margin: 0; padding: 8px; max-height: 45vh; overflow: auto; background: #101828; color: #e4e7ec; font-size: 11.5px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.hint { color: var(--muted); font-weight: normal; }
.schedule { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; font-size: 12.5px; }
.schedule summary { cursor: pointer; }
.schedule p { margin: 6px 0; }
.log-controls { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 0 0 6px; font-size: 12px; }
.log-attempts { display: flex; gap: 4px; }
.log-attempts button[aria-pressed="true"] { outline: 2px solid var(--accent); }
@media (max-width: 1100px) {
  .sidebar { width: 170px; padding: 10px; }
  .panel { width: 300px; }
  .graph-area { padding: 10px; }
}
`;
