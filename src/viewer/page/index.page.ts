/**
 * The viewer's one page. Static: every piece of data comes from the JSON API, so the page itself
 * needs no token and leaks nothing. Scripts and styles are separate files, which lets the
 * Content-Security-Policy forbid inline code.
 */
export const INDEX_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>synergy-flow viewer</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/assets/viewer.css">
  <script src="/assets/dagre.min.js" defer></script>
  <script type="module" src="/assets/main.js"></script>
  <!-- module preloads -->
</head>
<body data-live="connecting">
  <header class="topbar">
    <h1>synergy-flow</h1>
    <span id="live-status" class="live" title="live updates over Server-Sent Events">connecting</span>
    <form id="token-form" class="token-form" hidden>
      <label>This viewer needs its token <input id="token-input" type="password" autocomplete="off" required></label>
      <button type="submit">Use token</button>
    </form>
  </header>
  <main class="layout">
    <nav class="sidebar" aria-label="flows and runs">
      <section>
        <h2>Flows</h2>
        <ul id="flow-list" class="list"></ul>
      </section>
      <section id="runs-section" hidden>
        <h2>Recent runs</h2>
        <ul id="run-list" class="list"></ul>
        <button id="more-runs" type="button" class="link" hidden>older runs</button>
      </section>
    </nav>
    <section class="graph-area">
      <form id="run-bar" class="run-bar" hidden>
        <h2 id="run-title"></h2>
        <label>timeperiod <input id="timeperiod-input" name="timeperiod" inputmode="numeric" maxlength="10" placeholder="YYYYMMDDHH" autocomplete="off" title="typing a timeperiod shows it; only the buttons start runs"></label>
        <span id="run-state" class="badge"></span>
        <button id="run-button" type="button">Run</button>
        <button id="recover-button" type="button">Recover</button>
        <button id="cancel-button" type="button">Cancel</button>
      </form>
      <details id="schedule-panel" class="schedule" hidden>
        <summary>Schedule <span id="schedule-state" class="badge"></span> <span id="schedule-words" class="hint"></span></summary>
        <p><button id="schedule-toggle" type="button" aria-pressed="false">Pause schedule</button>
          <span class="hint">pausing holds new runs, retries and takeovers for every scheduler; runs in flight go on</span></p>
        <table class="history"><thead><tr><th>timeperiod</th><th>status</th><th>due</th><th>why</th></tr></thead><tbody id="schedule-periods"></tbody></table>
      </details>
      <div id="message" class="message" role="alert" hidden></div>
      <div class="tabs" role="tablist">
        <button id="tab-graph" type="button" role="tab" data-view="graph">Graph</button>
        <button id="tab-grid" type="button" role="tab" data-view="grid">Grid</button>
        <button id="tab-timeline" type="button" role="tab" data-view="timeline">Timeline</button>
      </div>
      <div id="view-graph" class="view">
        <div class="canvas"><svg id="dag" role="img" aria-label="the flow's steps and dependencies"></svg></div>
        <p id="retired-steps" class="hint" hidden></p>
      </div>
      <div id="view-grid" class="view" hidden>
        <div class="pager">
          <button id="grid-older" type="button">older</button>
          <button id="grid-newer" type="button">newer</button>
          <span class="hint">a cell opens that run, with its step selected</span>
        </div>
        <div class="grid-scroll"><div id="grid" class="grid" role="grid" aria-label="timeperiods x steps"></div></div>
      </div>
      <div id="view-timeline" class="view" hidden>
        <h3>Runs of <span id="timeline-timeperiod"></span></h3>
        <table class="history"><thead><tr><th>started</th><th>trigger</th><th>mode</th><th>state</th><th>duration</th><th>who</th></tr></thead><tbody id="history-list"></tbody></table>
        <h3>Timeline <span class="hint">(a bar per attempt, from its start to its end)</span></h3>
        <div id="timeline" class="gantt"></div>
      </div>
      <ul id="legend" class="legend"></ul>
    </section>
    <aside id="step-panel" class="panel" hidden>
      <header>
        <h2 id="step-title"></h2>
        <button id="close-panel" type="button" class="link" aria-label="close">close</button>
      </header>
      <dl id="step-details" class="details"></dl>
      <div class="step-buttons">
        <button id="run-one-button" type="button">Run one</button>
        <button id="run-from-button" type="button">Run from here</button>
      </div>
      <h3>Actions</h3>
      <table id="step-actions" class="actions"><thead><tr><th>phase</th><th>action</th><th>state</th><th>ms</th><th>args</th></tr></thead><tbody></tbody></table>
      <h3>Log <span id="log-source" class="hint"></span></h3>
      <div class="log-controls">
        <span id="log-attempts" class="log-attempts" aria-label="attempts of this step in the run"></span>
        <label><input id="log-flow" type="checkbox"> the flow's own log of this run</label>
      </div>
      <pre id="step-log" class="log"></pre>
    </aside>
  </main>
</body>
</html>
`;
