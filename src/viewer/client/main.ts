import { ApiClient, ApiError, apiPath } from './api-client.js';
import type {
  FlowEvent,
  FlowState,
  FlowSummary,
  FlowView,
  GridPage,
  HistoryRun,
  RunDetail,
  RunsPage,
  RunSummary,
  ScheduleView,
  StepLog,
  StepState,
} from './api-types.js';
import { DagView } from './dag.view.js';
import { openEventStream } from './event-stream.js';
import { formatTimeperiod, renderLegend, stateLabel, todayTimeperiod } from './format.js';
import { GridView } from './grid.view.js';
import { renderFlowList, renderRunList } from './sidebar.view.js';
import { SchedulePanel } from './schedule.view.js';
import { StepPanel } from './step-panel.view.js';
import { TimelineView } from './timeline.view.js';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const RUNS_PAGE = 20;
/** The API's largest page: the list shows at most this many runs. */
const RUNS_MAX = 100;
/** Timeperiods per page of the grid. */
const GRID_COLUMNS = 30;
const VIEWS = ['graph', 'grid', 'timeline'] as const;
type ViewName = (typeof VIEWS)[number];
const TIMEPERIOD = /^\d{10}$/;

/**
 * The page's controller. The API gives snapshots, the event stream gives changes; a snapshot that
 * was requested before a step's latest event is older than what the page shows, so it does not
 * overwrite that step (events and responses race; the newest knowledge wins).
 */
class Viewer {
  private readonly api = new ApiClient(() => this.askForToken());
  private readonly dag = new DagView(byId('dag') as unknown as SVGSVGElement, (step) => void this.selectStep(step));
  private readonly panel = new StepPanel(byId('step-panel'));
  private readonly grid = new GridView(byId('grid'), (timeperiod, step) => void this.openRun(timeperiod, step));
  private readonly timeline = new TimelineView(byId<HTMLTableSectionElement>('history-list'), byId('timeline'), () => {
    this.logAttempt = null;
    void this.refreshLog();
  });
  private readonly schedule = new SchedulePanel(byId('schedule-panel'), (pause) => void this.switchSchedule(pause));
  private view: ViewName = 'graph';
  /** The grid's page: timeperiods before this one (null: the latest); `newer` pops the stack. */
  private gridBefore: string | null = null;
  private readonly gridNewer: Array<string | null> = [];
  private gridOlder: string | null = null;
  private stream?: { reconnect(): void };

  private flows: FlowSummary[] = [];
  /** The first read of the list of flows, which the first flow shown may wait for. */
  private flowsLoading: Promise<void> = Promise.resolve();
  private flow: FlowView | null = null;
  private timeperiod: string | null = null;
  private run: RunDetail | null = null;
  private runs: RunSummary[] = [];
  private runsLimit = RUNS_PAGE;
  private selectedStep: string | null = null;
  /** The attempt whose log was asked for (null: the step's latest in the run); the flow's own log instead. */
  private logAttempt: number | null = null;
  private flowLog = false;
  /** Why the engine of the shown run is dead, as the stream last said (another engine, killed mid-run); null otherwise. */
  private engineGone: string | null = null;

  /** Events seen so far; each step (and the flow) remembers the count at its latest event. */
  private eventCount = 0;
  private readonly lastEventOf = new Map<string, number>();
  private runRequests = 0;
  private runApplied = 0;
  private readonly timers = new Map<string, number>();

  async start(): Promise<void> {
    renderLegend(byId('legend'));
    this.wireControls();
    // The first snapshots are read once the stream is open (or failed to open): every later event
    // then reaches the page, so only a reconnection has to read everything again.
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    let loading = false;
    this.stream = openEventStream(this.api, {
      onOpen: () => {
        this.setLive(true);
        if (loading) void this.resync();
        firstAttempt();
      },
      onClose: () => {
        this.setLive(false);
        firstAttempt();
      },
      onEvent: (event) => this.onEvent(event),
    });
    await attempted;
    loading = true;
    const params = new URLSearchParams(location.search);
    const view = params.get('view');
    this.setView(VIEWS.find((v) => v === view) ?? 'graph', false);
    // a flow named in the address is opened while the list of flows loads
    const named = params.get('flow');
    const flows = (this.flowsLoading = this.loadFlows());
    if (!named) await flows;
    const flow = named ?? this.flows[0]?.name;
    if (flow) await this.selectFlow(flow, params.get('tp'), params.get('step'));
    await flows;
  }

  private wireControls(): void {
    // Enter in the field shows the timeperiod typed, as typing does: only the buttons start runs
    byId('run-bar').addEventListener('submit', (e) => {
      e.preventDefault();
      this.showTypedTimeperiod();
    });
    byId('timeperiod-input').addEventListener('input', () => this.showTypedTimeperiod());
    byId('timeperiod-input').addEventListener('change', () => this.showTypedTimeperiod());
    byId('run-button').addEventListener('click', () => void this.runCommand('run'));
    for (const view of VIEWS) byId(`tab-${view}`).addEventListener('click', () => this.setView(view));
    byId('grid-older').addEventListener('click', () => {
      if (this.gridOlder === null) return;
      this.gridNewer.push(this.gridBefore);
      this.gridBefore = this.gridOlder;
      void this.loadGrid();
    });
    byId('grid-newer').addEventListener('click', () => {
      if (this.gridNewer.length === 0) return;
      this.gridBefore = this.gridNewer.pop()!;
      void this.loadGrid();
    });
    byId('recover-button').addEventListener('click', () => void this.runCommand('recover'));
    byId('cancel-button').addEventListener('click', () => void this.runCommand('cancel'));
    byId('run-one-button').addEventListener('click', () => void this.runCommand('run-one'));
    byId('run-from-button').addEventListener('click', () => void this.runCommand('run-from'));
    byId('close-panel').addEventListener('click', () => void this.selectStep(null));
    byId('log-flow').addEventListener('change', () => {
      this.flowLog = byId<HTMLInputElement>('log-flow').checked;
      void this.refreshLog();
    });
    byId('more-runs').addEventListener('click', () => {
      this.runsLimit = Math.min(this.runsLimit + RUNS_PAGE, RUNS_MAX);
      void this.loadRuns();
    });
    byId('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = byId<HTMLInputElement>('token-input');
      this.api.token = input.value;
      input.value = '';
      byId('token-form').hidden = true;
      this.stream?.reconnect();
      void this.reloadAll();
    });
  }

  private async reloadAll(): Promise<void> {
    await this.loadFlows();
    const flow = this.flow?.name ?? this.flows[0]?.name;
    if (flow) await this.selectFlow(flow, this.timeperiod, this.selectedStep);
  }

  /** After (re)connecting the stream: whatever happened while it was down is re-read. */
  private async resync(): Promise<void> {
    await this.loadFlows();
    if (!this.flow) return;
    await Promise.all([this.loadRuns(), this.refreshRun(), this.refreshView(), this.loadSchedule()]);
  }

  private async loadFlows(): Promise<void> {
    const result = await this.attempt(() => this.api.get<{ flows: FlowSummary[] }>('/api/flows'));
    if (!result) return;
    this.flows = result.flows;
    renderFlowList(byId('flow-list'), this.flows, this.flow?.name ?? null, (flow) => void this.selectFlow(flow, null, null));
  }

  private async selectFlow(name: string, timeperiod: string | null, step: string | null): Promise<void> {
    // the grid does not need the definition: both are asked for at once
    const gridPage = this.view === 'grid' ? this.fetchGrid(name, null) : undefined;
    const flow = await this.attempt(() => this.api.get<FlowView>(apiPath('flows', name)));
    if (!flow) return;
    this.flow = flow;
    this.runsLimit = RUNS_PAGE;
    this.selectedStep = null;
    this.gridBefore = null;
    this.gridNewer.length = 0;
    this.panel.hide();
    this.dag.render(flow.graph);
    byId('run-bar').hidden = false;
    byId('runs-section').hidden = false;
    byId('run-title').textContent = flow.name;
    renderFlowList(byId('flow-list'), this.flows, flow.name, (f) => void this.selectFlow(f, null, null));
    const runs = this.loadRuns();
    if (!flow.scheduled) this.schedule.hide();
    const schedule = this.loadSchedule();
    // the list of flows says each one's latest run: no need to wait for the list of runs
    if (timeperiod === null) await this.flowsLoading;
    const latest = this.flows.find((f) => f.name === flow.name)?.latestRun?.timeperiod;
    const grid = gridPage?.then((page) => page && this.flow === flow && this.showGrid(page));
    await this.selectRun(timeperiod ?? latest ?? todayTimeperiod());
    if (step && flow.steps.some((s) => s.name === step)) await this.selectStep(step);
    await Promise.all([runs, grid, schedule]);
  }

  /** Shows one of the three views of the flow; the grid and the timeline are read when shown. */
  private setView(view: ViewName, load = true): void {
    this.view = view;
    for (const v of VIEWS) {
      byId(`view-${v}`).hidden = v !== view;
      byId(`tab-${v}`).setAttribute('aria-selected', String(v === view));
    }
    this.updateUrl();
    if (load) void this.refreshView();
  }

  private async refreshView(): Promise<void> {
    if (this.view === 'grid') await this.loadGrid();
    if (this.view === 'timeline') await this.loadTimeline();
  }

  private async loadGrid(): Promise<void> {
    const flow = this.flow;
    if (!flow) return;
    const page = await this.fetchGrid(flow.name, this.gridBefore);
    if (page && this.flow === flow) this.showGrid(page);
  }

  private fetchGrid(flow: string, before: string | null): Promise<GridPage | undefined> {
    const query = `?limit=${GRID_COLUMNS}${before ? `&before=${before}` : ''}`;
    return this.attempt(() => this.api.get<GridPage>(`${apiPath('flows', flow, 'grid')}${query}`));
  }

  private showGrid(page: GridPage): void {
    this.gridOlder = page.olderBefore;
    byId<HTMLButtonElement>('grid-older').disabled = page.olderBefore === null;
    byId<HTMLButtonElement>('grid-newer').disabled = this.gridNewer.length === 0;
    this.grid.render(page, this.timeperiod);
  }

  private async loadTimeline(): Promise<void> {
    const { flow, timeperiod } = this;
    byId('timeline-timeperiod').textContent = timeperiod ? formatTimeperiod(timeperiod) : '(no timeperiod)';
    if (!flow || !timeperiod) return this.timeline.reset();
    const page = await this.attempt(() =>
      this.api.get<{ runs: HistoryRun[] }>(`${apiPath('flows', flow.name, 'history')}?timeperiod=${timeperiod}&limit=20`),
    );
    if (page && this.flow === flow && this.timeperiod === timeperiod) this.timeline.render(page.runs);
  }

  /** A grid cell: that timeperiod's run in the graph, its step selected. */
  private async openRun(timeperiod: string, step: string | null): Promise<void> {
    this.setView('graph', false);
    await this.selectRun(timeperiod);
    await this.selectStep(step);
  }

  /**
   * The field shows what it holds: a whole timeperiod is shown (its states, or "never ran"), and
   * anything else clears the page, so no earlier timeperiod's colours stay beside another value.
   */
  private showTypedTimeperiod(): void {
    const typed = byId<HTMLInputElement>('timeperiod-input').value.trim();
    if (typed === (this.timeperiod ?? '')) return;
    if (TIMEPERIOD.test(typed)) return void this.selectRun(typed);
    this.timeperiod = null;
    this.run = null;
    this.lastEventOf.clear();
    this.engineGone = null;
    this.resetSteps();
    this.setFlowState(null, 'no timeperiod');
    this.grid.select(null);
    this.timeline.reset();
    renderRunList(byId('run-list'), this.runs, null, (tp) => void this.selectRun(tp));
    this.showPanel();
    this.updateUrl();
  }

  private resetSteps(): void {
    for (const step of this.flow?.steps ?? []) {
      this.dag.setStepState(step.name, 'embryo');
      this.dag.setStepMeta(step.name, { durationMs: null, attempt: 0 });
    }
  }

  private async loadRuns(): Promise<void> {
    const flow = this.flow;
    if (!flow) return;
    const page = await this.attempt(() => this.api.get<RunsPage>(`${apiPath('flows', flow.name, 'runs')}?limit=${this.runsLimit}`));
    if (!page || this.flow !== flow) return;
    this.runs = page.runs;
    byId('more-runs').hidden = !page.hasMore || this.runsLimit >= RUNS_MAX;
    renderRunList(byId('run-list'), this.runs, this.timeperiod, (tp) => void this.selectRun(tp));
  }

  private async selectRun(timeperiod: string): Promise<void> {
    if (!this.flow) return;
    this.timeperiod = timeperiod;
    this.logAttempt = null;
    byId<HTMLInputElement>('timeperiod-input').value = timeperiod;
    this.lastEventOf.clear();
    this.engineGone = null;
    this.run = null;
    this.resetSteps();
    this.setFlowState(null, '');
    this.grid.select(timeperiod);
    this.timeline.reset();
    renderRunList(byId('run-list'), this.runs, timeperiod, (tp) => void this.selectRun(tp));
    this.updateUrl();
    await Promise.all([this.refreshRun(), this.view === 'timeline' ? this.loadTimeline() : undefined]);
    if (this.selectedStep) await this.refreshLog();
  }

  private async refreshRun(): Promise<void> {
    const { flow, timeperiod } = this;
    if (!flow || !timeperiod) return;
    const requestId = ++this.runRequests;
    const issuedAt = this.eventCount;
    let detail: RunDetail | null;
    try {
      detail = await this.api.get<RunDetail>(apiPath('flows', flow.name, 'runs', timeperiod));
    } catch (err) {
      if (!(err instanceof ApiError && err.error === 'FlowRunNotFoundError')) return this.showMessage(err);
      detail = null;
    }
    if (this.flow !== flow || this.timeperiod !== timeperiod || requestId < this.runApplied) return;
    this.runApplied = requestId;
    this.run = detail;
    const newer = (key: string) => (this.lastEventOf.get(key) ?? 0) > issuedAt;
    for (const step of flow.steps) {
      const row = detail?.steps.find((s) => s.name === step.name);
      if (!newer(step.name)) this.dag.setStepState(step.name, row?.state ?? 'embryo');
      this.dag.setStepMeta(step.name, { durationMs: row?.durationMs ?? null, attempt: row?.attempt ?? 0 });
    }
    if (!newer('\u0000flow')) {
      this.engineGone = detail?.engineGone ?? null;
      this.setFlowState(detail?.state ?? null);
    }
    this.showRetired(detail);
    this.showPanel();
  }

  /** Rows of steps the flow no longer has: shown, apart from the graph, as history that does not count. */
  private showRetired(detail: RunDetail | null): void {
    const line = byId('retired-steps');
    const retired = detail?.retiredSteps ?? [];
    line.hidden = retired.length === 0;
    line.textContent = retired.length
      ? `retired (no longer in the flow, not counted): ${retired.map((s) => `${s.name} ${s.state}`).join(', ')}`
      : '';
  }

  private async selectStep(step: string | null): Promise<void> {
    this.selectedStep = step;
    this.logAttempt = null;
    this.dag.select(step);
    this.updateUrl();
    if (!step) return this.panel.hide();
    this.showPanel();
    await this.refreshLog();
  }

  private showPanel(): void {
    const step = this.flow?.steps.find((s) => s.name === this.selectedStep);
    if (step)
      this.panel.show(
        step,
        this.run?.steps.find((s) => s.name === step.name),
      );
  }

  /**
   * The log pane: the lines of one run (the one clicked in the history list, else the latest) and
   * of one attempt of the step in it (the one clicked, else its latest), or the flow's own lines of
   * that run. A timeperiod that never ran answers 404: the pane says "never ran", no error banner.
   */
  private async refreshLog(): Promise<void> {
    const { flow, timeperiod, selectedStep } = this;
    if (!flow || !timeperiod || !selectedStep) return;
    const current = () => this.flow === flow && this.timeperiod === timeperiod && this.selectedStep === selectedStep;
    const run = this.timeline.chosenRun() ?? (await this.latestRun(flow.name, timeperiod, selectedStep));
    if (run === undefined || !current()) return;
    const attempts = run?.attempts.filter((a) => a.stepName === selectedStep) ?? [];
    const pinned = attempts.some((a) => a.attempt === this.logAttempt) ? this.logAttempt : null;
    const attempt = this.flowLog || !run?.runId ? null : (pinned ?? attempts.at(-1)?.attempt ?? null);
    this.panel.showLogChoice(attempts, attempt, this.flowLog, (chosen) => {
      this.logAttempt = chosen;
      void this.refreshLog();
    });
    const query = new URLSearchParams();
    if (run?.runId) query.set('runId', run.runId);
    if (attempt !== null) query.set('attempt', String(attempt));
    const path = this.flowLog
      ? apiPath('flows', flow.name, 'runs', timeperiod, 'log')
      : apiPath('flows', flow.name, 'runs', timeperiod, 'steps', selectedStep, 'log');
    let log: StepLog;
    try {
      log = await this.api.get<StepLog>(`${path}?${query}`);
    } catch (err) {
      if (!current()) return;
      if (err instanceof ApiError && err.status === 404) return this.panel.showNeverRan();
      return this.showMessage(err);
    }
    if (!current()) return;
    const lines = this.flowLog ? "the flow's own lines" : attempt !== null ? `attempt ${attempt}` : 'every attempt';
    this.panel.showLog(
      log,
      run?.runId ? `(run ${run.runId}, ${run.trigger ?? 'trigger not recorded'}: ${lines})` : '(every run of this timeperiod)',
    );
  }

  /** A scheduled flow's schedule panel: read again after each of its runs and after the pause switch. */
  private async loadSchedule(): Promise<void> {
    const flow = this.flow;
    if (!flow?.scheduled) return;
    const view = await this.attempt(() => this.api.get<ScheduleView>(apiPath('flows', flow.name, 'schedule')));
    if (view && this.flow === flow) this.schedule.render(view);
  }

  private async switchSchedule(pause: boolean): Promise<void> {
    const flow = this.flow;
    if (!flow?.scheduled) return;
    const done = await this.attempt(() => this.api.post(apiPath('flows', flow.name, 'schedule', pause ? 'pause' : 'resume')));
    if (done) this.showMessage(`schedule of ${flow.name}: ${pause ? 'paused' : 'resumed'}`, 'info');
    await this.loadSchedule();
  }

  /**
   * The timeperiod's latest run from the history, with the attempts of `step` only (the pane shows no
   * other's, and a run of a 10,000-step flow has 10,000); null if none is recorded, undefined if the request failed.
   */
  private async latestRun(flow: string, timeperiod: string, step: string): Promise<HistoryRun | null | undefined> {
    const query = new URLSearchParams({ timeperiod, limit: '1', step });
    const page = await this.attempt(() => this.api.get<{ runs: HistoryRun[] }>(`${apiPath('flows', flow, 'history')}?${query}`));
    return page ? (page.runs[0] ?? null) : undefined;
  }

  private onEvent(event: FlowEvent): void {
    this.eventCount++;
    if (event.type === 'flow') this.later('flows', () => this.loadFlows());
    if (!this.flow || event.flowName !== this.flow.name) return;
    if (event.type === 'flow') this.later('runs', () => this.loadRuns());
    if (event.type === 'flow' && this.flow.scheduled) this.later('schedule', () => this.loadSchedule(), 400);
    if (this.view === 'grid' && (event.type === 'flow' || event.type === 'step')) this.later('grid', () => this.loadGrid(), 400);
    if (event.timeperiod !== this.timeperiod) return;
    if (this.view === 'timeline' && (event.type === 'flow' || event.type === 'step'))
      this.later('timeline', () => this.loadTimeline(), 300);
    if (event.type === 'flow') {
      this.lastEventOf.set('\u0000flow', this.eventCount);
      this.engineGone = event.engineGone ?? null;
      this.setFlowState(event.state as FlowState);
      // "run started" has served its purpose once the run is over; errors stay until the next action
      if (event.state !== 'in_progress' && byId('message').dataset.kind === 'info') byId('message').hidden = true;
      // a full run purges every step; the other modes reset some, which the snapshot shows; a run
      // whose engine died is no start: its steps stay as that engine left them
      if (event.state === 'in_progress' && event.runMode === 'run' && !event.engineGone) {
        for (const step of this.flow.steps) {
          this.lastEventOf.set(step.name, this.eventCount);
          this.dag.setStepState(step.name, 'embryo');
        }
      }
      this.later('run', () => this.refreshRun(), 0);
    } else if (event.type === 'step' && event.stepName) {
      this.lastEventOf.set(event.stepName, this.eventCount);
      this.dag.setStepState(event.stepName, event.state as StepState);
      if (event.state === 'in_progress') this.dag.setStepMeta(event.stepName, { durationMs: null, attempt: event.attempt ?? 0 });
      this.later('run', () => this.refreshRun());
    }
    if (event.stepName && event.stepName === this.selectedStep) {
      this.later('run', () => this.refreshRun());
      this.later('log', () => this.refreshLog());
    }
  }

  private async runCommand(command: 'run' | 'recover' | 'cancel' | 'run-one' | 'run-from'): Promise<void> {
    if (!this.flow) return;
    const flow = this.flow.name;
    const wanted = byId<HTMLInputElement>('timeperiod-input').value.trim();
    if (wanted !== this.timeperiod) {
      if (!TIMEPERIOD.test(wanted)) return this.showMessage(`type a timeperiod first: ten digits, YYYYMMDDHH (e.g. ${todayTimeperiod()})`);
      await this.selectRun(wanted);
    }
    const timeperiod = this.timeperiod!;
    const step = this.selectedStep;
    const path =
      command === 'run-one' || command === 'run-from'
        ? apiPath('flows', flow, 'runs', timeperiod, 'steps', step ?? '', command)
        : apiPath('flows', flow, 'runs', timeperiod, command);
    const done = await this.attempt(() => this.api.post(path));
    if (done)
      this.showMessage(
        `${command}${command.startsWith('run-') ? ` ${step}` : ''} of ${flow} ${timeperiod}: ${command === 'cancel' ? 'cancelling' : 'started'}`,
        'info',
      );
  }

  /** The badge beside the field: the run's state, "never ran", or `empty` while no snapshot is in. */
  private setFlowState(state: FlowState | null, empty = stateLabel('never')): void {
    const badge = byId('run-state');
    const shown = state ?? (empty === stateLabel('never') ? 'never' : null);
    badge.className = `badge${shown ? ` state-${shown}` : ''}`;
    badge.dataset.state = shown ?? '';
    badge.textContent = state ? stateLabel(state) : empty;
    // In progress in the database, yet nothing runs it: said beside the state, the reason on hover.
    const gone = state === 'in_progress' ? this.engineGone : null;
    if (gone) badge.textContent += ', engine gone';
    badge.title = gone ? `its engine is dead (${gone}): recover finishes it` : '';
    if (gone) badge.dataset.engineGone = gone;
    else delete badge.dataset.engineGone;
    this.dag.setFlowState(state);
  }

  private setLive(connected: boolean): void {
    document.body.dataset.live = connected ? 'connected' : 'disconnected';
    byId('live-status').textContent = connected ? 'live' : 'reconnecting';
  }

  private askForToken(): void {
    byId('token-form').hidden = false;
    byId('token-input').focus();
  }

  private updateUrl(): void {
    const params = new URLSearchParams();
    if (this.flow) params.set('flow', this.flow.name);
    if (this.timeperiod) params.set('tp', this.timeperiod);
    if (this.selectedStep) params.set('step', this.selectedStep);
    if (this.view !== 'graph') params.set('view', this.view);
    history.replaceState(null, '', `${location.pathname}?${params}`);
  }

  /** Runs a request; a failure is shown in the message bar and yields undefined. */
  private async attempt<T>(request: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await request();
      return result;
    } catch (err) {
      this.showMessage(err);
      return undefined;
    }
  }

  private showMessage(what: unknown, kind: 'error' | 'info' = 'error'): void {
    const box = byId('message');
    box.hidden = false;
    box.className = `message${kind === 'info' ? ' info' : ''}`;
    box.dataset.kind = kind;
    box.textContent = what instanceof ApiError ? `${what.error}: ${what.message}` : what instanceof Error ? what.message : String(what);
    if (what instanceof ApiError) box.dataset.error = what.error;
    else delete box.dataset.error;
  }

  /** Coalesces bursts of events into one request per key. */
  private later(key: string, task: () => Promise<void>, delayMs = 120): void {
    if (this.timers.has(key)) return;
    this.timers.set(
      key,
      window.setTimeout(() => {
        this.timers.delete(key);
        void task();
      }, delayMs),
    );
  }
}

void new Viewer().start();
