import type { EntityManager } from 'typeorm';
import { FlowState } from '../domain/states';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { FlowSchedule } from '../metadata/schedule-options.schema';
import type { ClaimKind, ScheduleClaimRecord } from '../persistence/schedule/schedule-claim.entity';
import type { ScheduleStore, UnfinishedPeriod } from '../persistence/schedule/schedule-store';
import { UNFINISHED_PER_FLOW_END, type UnreadPeriods } from '../persistence/schedule/unfinished-rows';
import { unmetAfter } from './after-condition';
import { claimerDeath, liveLease, runnerDeath } from './claim-liveness';
import { describeHolder, type LeaseHolder } from '../persistence/lease/lease-holder';
import { interruptedLast } from './interrupted-run';
import { stopHeldFrom } from './stop-hold';
import { isTimeperiodOf } from '../timeperiod/timeperiod-time';
import type { SkipReason, TickEntry, TriggerReason, WaitReason } from './tick-report';
import type { HandCommands } from './hand-commands';

/** A run a tick means to start, once its claim is in. */
export interface Launch {
  flow: string;
  timeperiod: string;
  reason: TriggerReason;
  message: string;
  mode: 'run' | 'recover';
  attempt: number;
  kind: ClaimKind;
  /** The flow row's state the claim was decided on (undefined: no row): if it changed meanwhile, the claim is withdrawn. */
  expect: FlowState | undefined;
  /** The dead scheduler's claim a takeover replaces: recorded `abandoned` with the new claim. */
  replaces?: ScheduleClaimRecord;
}

/** What a tick does about one flow. */
export interface FlowDecision {
  launches: Launch[];
  waiting: TickEntry<WaitReason>[];
  skipped: TickEntry<SkipReason>[];
  /** Claims whose run ended without its scheduler recording it (it died just after): recorded now. */
  ended: Array<{ claim: ScheduleClaimRecord; outcome: string }>;
}

/** What a tick reads of one flow (in one transaction, the frontier first: see readFlows). */
export interface FlowView {
  newPeriods: string[];
  unfinished: UnfinishedPeriod[];
  open: ScheduleClaimRecord[];
  claims: Map<string, ScheduleClaimRecord[]>;
  /** The flow's unfinished rows the read left out (more than its bound at each end of its history). */
  unread?: UnreadPeriods;
}

/**
 * Decides what a tick at `now` does about one scheduled flow: which runs it starts (takeovers of
 * dead schedulers' runs, due retries, then due periods, oldest first, within maxActiveRuns), and
 * which due periods wait or are left alone, and why. Reads only; safe to run again.
 */
export async function decideFlow(
  m: EntityManager,
  store: ScheduleStore,
  definition: FlowDefinition,
  view: FlowView,
  upstreams: readonly FlowDefinition[],
  now: Date,
  paused: boolean,
  hints: HandCommands,
): Promise<FlowDecision> {
  const schedule = definition.schedule!;
  const flow = definition.name;
  const decision: FlowDecision = { launches: [], waiting: [], skipped: [], ended: [] };
  if (view.unread?.count) decision.skipped.push(unreadEntry(flow, view.unread));
  const rowState = new Map(view.unfinished.map((row) => [row.timeperiod, row.state]));
  const nextAttempt = (timeperiod: string) =>
    Math.max(
      0,
      ...[...(view.claims.get(timeperiod) ?? []), ...view.open.filter((c) => c.timeperiod === timeperiod)].map((c) => c.attempt),
    ) + 1;

  // Running periods: each holds a slot, unless whoever runs it is dead, and then a tick takes it over.
  const active = new Set<string>();
  const takeovers: Launch[] = [];
  for (const claim of latestPerPeriod(view.open)) {
    const death = await claimerDeath(m, store, claim);
    if (!death) {
      active.add(claim.timeperiod);
      continue;
    }
    const state = rowState.get(claim.timeperiod) ?? (await store.stateOf(m, flow, claim.timeperiod));
    if (state === undefined || state === FlowState.IN_PROGRESS || state === FlowState.EMBRYO) {
      active.add(claim.timeperiod);
      takeovers.push({
        flow,
        timeperiod: claim.timeperiod,
        reason: 'takeover',
        message: `takes over attempt ${claim.attempt}: ${death}`,
        mode: state === undefined ? 'run' : 'recover',
        attempt: nextAttempt(claim.timeperiod),
        kind: 'takeover',
        expect: state,
        replaces: claim,
      });
    } else {
      decision.ended.push({ claim, outcome: state });
    }
  }
  for (const row of view.unfinished) {
    if (active.has(row.timeperiod) || (row.state !== FlowState.IN_PROGRESS && row.state !== FlowState.EMBRYO)) continue;
    active.add(row.timeperiod);
    const death = await runnerDeath(m, store, flow, row.timeperiod);
    if (death) {
      takeovers.push({
        flow,
        timeperiod: row.timeperiod,
        reason: 'takeover',
        message: `takes over a run left ${row.state}: ${death}`,
        mode: 'recover',
        attempt: nextAttempt(row.timeperiod),
        kind: 'takeover',
        expect: row.state,
      });
    }
  }

  // Failed periods: retried (recover, stop), or reported and left (continue, no retry left).
  const retries: Launch[] = [];
  const heldFrom = schedule.onFailure === 'stop' ? stopHeldFrom(view.unfinished, view.claims) : undefined;
  for (const row of view.unfinished) {
    if (row.state !== FlowState.INVALID || active.has(row.timeperiod)) continue;
    const entry = { flow, timeperiod: row.timeperiod };
    const claims = view.claims.get(row.timeperiod) ?? [];
    if (interruptedLast(claims)) {
      // Cut short by its scheduler's stop, not failed: resumed, spending no retry.
      retries.push({
        ...entry,
        reason: 'takeover',
        message: `resumes attempt ${Math.max(...claims.map((c) => c.attempt))}, interrupted when its scheduler stopped`,
        mode: 'recover',
        attempt: nextAttempt(row.timeperiod),
        kind: 'takeover',
        expect: FlowState.INVALID,
      });
      continue;
    }
    if (schedule.onFailure === 'continue') {
      decision.skipped.push({ ...entry, reason: 'failed', message: "failed; onFailure 'continue' goes on without it" });
      continue;
    }
    const used = claims.filter((c) => c.kind === 'retry').length;
    if (used >= schedule.retries) {
      decision.skipped.push({
        ...entry,
        reason: 'retries-exhausted',
        message: `failed after ${used} ${used === 1 ? 'retry' : 'retries'}: recover it by hand (${hints.recover(flow, row.timeperiod)})`,
      });
      continue;
    }
    const due = retryDueAt(claims, row, schedule);
    if (due > now.getTime()) {
      decision.waiting.push({
        ...entry,
        reason: 'retry-not-due',
        message: `retry ${used + 1} of ${schedule.retries} at ${new Date(due).toISOString()}`,
      });
      continue;
    }
    retries.push({
      ...entry,
      reason: 'retry',
      message: `retry ${used + 1} of ${schedule.retries}`,
      mode: 'recover',
      attempt: nextAttempt(row.timeperiod),
      kind: 'retry',
      expect: FlowState.INVALID,
    });
  }

  const fresh: Launch[] = [];
  for (const timeperiod of view.newPeriods) {
    // Claimed after the open claims were read (another scheduler is starting it): running, not for this tick.
    if ((view.claims.get(timeperiod) ?? []).some((c) => c.finishedAt === null)) active.add(timeperiod);
    if (active.has(timeperiod)) continue;
    if (heldFrom !== undefined && timeperiod > heldFrom) {
      decision.waiting.push({
        flow,
        timeperiod,
        reason: 'on-failure-stop',
        message: `waits until ${heldFrom} is processed (onFailure 'stop')`,
      });
      break;
    }
    // Attempt 1, unless the period ran before and its row was deleted since (by hand): then the next one.
    const attempt = nextAttempt(timeperiod);
    fresh.push({ flow, timeperiod, reason: 'due', message: 'due', mode: 'run', attempt, kind: 'run', expect: undefined });
  }

  const candidates = [...retries, ...fresh].sort((a, b) => a.timeperiod.localeCompare(b.timeperiod));
  if (paused) {
    const first = takeovers[0] ?? candidates[0];
    if (first)
      decision.waiting.push({ flow, timeperiod: first.timeperiod, reason: 'paused', message: 'the flow is paused: resume it to go on' });
    return decision;
  }
  decision.launches.push(...takeovers);
  let free = schedule.maxActiveRuns - active.size;
  for (const candidate of candidates) {
    if (free <= 0) {
      decision.waiting.push({
        flow,
        timeperiod: candidate.timeperiod,
        reason: 'max-active-runs',
        message: `${active.size} of maxActiveRuns ${schedule.maxActiveRuns} running`,
      });
      break;
    }
    // Held by another engine (a run by hand, another application): its run would refuse this one, at every tick.
    const lease = await liveLease(m, store, flow, candidate.timeperiod);
    if (lease) {
      decision.skipped.push({ flow, timeperiod: candidate.timeperiod, reason: 'held-elsewhere', message: heldMessage(lease) });
      active.add(candidate.timeperiod);
      free--;
      continue;
    }
    if (candidate.kind === 'run') {
      const unmet = await unmetAfter(m, store, candidate.timeperiod, schedule.granularity, upstreams, flow, hints);
      if (unmet) {
        decision.waiting.push({ flow, timeperiod: candidate.timeperiod, ...unmet });
        break;
      }
    }
    decision.launches.push(candidate);
    active.add(candidate.timeperiod);
    free--;
  }
  return decision;
}

/** What one flow's tick reads: its periods due by `lastDue`, from `from` (every period before it has a row). */
export interface FlowRead {
  definition: FlowDefinition;
  lastDue: string;
  from: string;
  /** How `from` was found: from the flow's persisted mark (trusted), or from the schedule's start. */
  counted: { from: string; trusted: boolean };
}

/**
 * Reads what a tick decides on, for every flow at once: each flow's periods without a row (from
 * its persisted mark when it can be trusted, so the count covers the last few periods, not the
 * flow's history), then the unfinished rows, then the open claims and the claims
 * of the unfinished periods: one query each for all flows (and one more for each flow with more
 * unfinished rows than a tick reads at its two ends: the slice between, after `sliceAfter`'s
 * timeperiod for it, see readUnfinished). The frontier is read first: a run that
 * starts or ends between two reads then shows as more progress in the later ones, never as a
 * period that looks free while an older one runs.
 */
export async function readFlows(
  m: EntityManager,
  store: ScheduleStore,
  reads: readonly FlowRead[],
  sliceAfter?: ReadonlyMap<string, string>,
): Promise<Map<string, FlowView>> {
  const views = new Map<string, FlowView>();
  for (const { definition, lastDue, from } of reads) {
    const schedule = definition.schedule!;
    const newPeriods = await store.periodsWithoutRow(
      m,
      definition.name,
      from,
      lastDue,
      schedule.granularity,
      2 * schedule.maxActiveRuns + 1,
    );
    views.set(definition.name, { newPeriods, unfinished: [], open: [], claims: new Map() });
  }
  const names = [...views.keys()];
  const byName = new Map(reads.map((r) => [r.definition.name, r.definition.schedule!]));
  const { rows, unread } = await store.unfinishedOf(m, names, sliceAfter);
  for (const row of rows) {
    const schedule = byName.get(row.flowName)!;
    if (row.timeperiod >= schedule.start && isOf(row.timeperiod, schedule)) views.get(row.flowName)!.unfinished.push(row);
  }
  for (const [name, periods] of unread) views.get(name)!.unread = periods;
  for (const claim of await store.openClaims(m, names)) views.get(claim.flowName)!.open.push(claim);
  // The periods without a row too: one whose row was deleted by hand has the claims of its earlier runs.
  const timeperiods = [...views.values()].flatMap((v) => [...v.unfinished.map((row) => row.timeperiod), ...v.newPeriods]);
  for (const claim of await store.claimsOf(m, names, timeperiods)) {
    const view = views.get(claim.flowName)!;
    if (!view.unfinished.some((row) => row.timeperiod === claim.timeperiod) && !view.newPeriods.includes(claim.timeperiod)) continue;
    view.claims.set(claim.timeperiod, [...(view.claims.get(claim.timeperiod) ?? []), claim]);
  }
  return views;
}

/**
 * Says that a tick did not look at some of the flow's unfinished periods: neither retried nor
 * reported one by one by this tick. The oldest (which hold later periods under 'stop'), the newest
 * and a slice of those between were read; the next ticks' slices go on from there, in order.
 */
function unreadEntry(flow: string, unread: UnreadPeriods): TickEntry<SkipReason> {
  const slice = unread.read ? `, and ${unread.read.count} between: ${unread.read.from} to ${unread.read.to} this time` : '';
  return {
    flow,
    timeperiod: unread.after,
    reason: 'unread',
    message:
      `${unread.count} more unfinished periods after ${unread.after} and before ${unread.before} are not read by this tick ` +
      `(a tick reads a flow's oldest and newest ${UNFINISHED_PER_FLOW_END}${slice}): ` +
      `the next ticks read them, ${UNFINISHED_PER_FLOW_END} at a time in timeperiod order, then start over`,
  };
}

/** A period another engine holds: not a failure of this scheduler, no attempt spent; taken up once that lease is gone. */
export function heldMessage(lease: LeaseHolder): string {
  return `held by another engine, ${describeHolder(lease)}: not started here until its lease is released or expires`;
}

function isOf(timeperiod: string, schedule: FlowSchedule): boolean {
  try {
    return isTimeperiodOf(timeperiod, schedule.granularity);
  } catch {
    return false;
  }
}

/** The open claim of each period with the highest attempt: an older one still open was left by a scheduler that died. */
function latestPerPeriod(open: readonly ScheduleClaimRecord[]): ScheduleClaimRecord[] {
  const latest = new Map<string, ScheduleClaimRecord>();
  for (const claim of open) if ((latest.get(claim.timeperiod)?.attempt ?? 0) < claim.attempt) latest.set(claim.timeperiod, claim);
  return [...latest.values()];
}

/** A failed period's retry is due retryDelayMs after its last run ended: by its claim (the scheduler's clock), else by its row. */
export function retryDueAt(claims: readonly ScheduleClaimRecord[], row: UnfinishedPeriod, schedule: FlowSchedule): number {
  const ends = claims.flatMap((c) => (c.finishedAt === null ? [] : [c.finishedAt]));
  const lastEnd = ends.length ? Math.max(...ends) : (row.finishedAt?.getTime() ?? 0);
  return lastEnd + schedule.retryDelayMs;
}
