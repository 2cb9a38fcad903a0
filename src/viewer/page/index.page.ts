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
  <script src="/assets/dagre.min.js"></script>
  <script type="module" src="/assets/main.js"></script>
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
        <label>timeperiod <input id="timeperiod-input" name="timeperiod" inputmode="numeric" pattern="[0-9]{10}" maxlength="10" placeholder="YYYYMMDDHH" required></label>
        <span id="run-state" class="badge"></span>
        <button id="run-button" type="submit">Run</button>
        <button id="recover-button" type="button">Recover</button>
        <button id="cancel-button" type="button">Cancel</button>
      </form>
      <div id="message" class="message" role="alert" hidden></div>
      <div class="canvas"><svg id="dag" role="img" aria-label="the flow's steps and dependencies"></svg></div>
      <p id="retired-steps" class="hint" hidden></p>
      <ul class="legend">
        <li class="state-embryo">embryo</li><li class="state-in_progress">in progress</li><li class="state-processed">processed</li>
        <li class="state-noop">noop</li><li class="state-invalid">invalid</li><li class="state-canceled">canceled</li>
      </ul>
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
      <table id="step-actions" class="actions"><thead><tr><th>phase</th><th>action</th><th>state</th><th>ms</th></tr></thead><tbody></tbody></table>
      <h3>Log <span class="hint">(every timeperiod of this step)</span></h3>
      <pre id="step-log" class="log"></pre>
    </aside>
  </main>
</body>
</html>
`;
