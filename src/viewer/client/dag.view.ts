import type { FlowState, StepState } from './api-types.js';
import { formatDuration } from './format.js';
import { DAGRE_MAX_NODES, layoutGraph } from './graph-layout.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_HEIGHT = 44;
const TERMINAL_RADIUS = 18;
const TERMINALS = new Set(['start', 'finish']);

/**
 * The flow's DAG as SVG, laid out by layoutGraph (dagre, or ranks for large flows): start and finish nodes around the steps, one edge per
 * dependency. Each step node carries `data-step` and `data-state` (and a `state-*` class for its colour).
 */
export class DagView {
  private readonly nodes = new Map<string, SVGGElement>();
  private selected: string | null = null;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly onSelect: (step: string) => void,
  ) {}

  render(graph: { nodes: string[]; edges: Array<{ from: string; to: string }> }): void {
    const layout = layoutGraph({
      nodes: graph.nodes,
      edges: graph.edges,
      size: (name) =>
        TERMINALS.has(name)
          ? { width: TERMINAL_RADIUS * 2, height: TERMINAL_RADIUS * 2 }
          : { width: Math.max(132, name.length * 7.4 + 30), height: NODE_HEIGHT },
    });

    this.svg.replaceChildren(arrowMarker());
    this.nodes.clear();
    const { width, height } = layout;
    // drawn at its own size, never scaled down: a narrow window (or the side panel) scrolls the
    // canvas instead of shrinking the labels until they cannot be read
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    const line = (points: Array<{ x: number; y: number }>) =>
      points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    if (graph.nodes.length > DAGRE_MAX_NODES) {
      // thousands of edges as one path: the browser lays out and paints one element, not thousands
      // (every edge runs left to right, so the arrowheads go)
      this.svg.append(
        el('path', { class: 'edge', 'data-edges': String(layout.edges.length), d: layout.edges.map((e) => line(e.points)).join(' ') }),
      );
    } else {
      for (const edge of layout.edges) {
        this.svg.append(
          el('path', { class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to, d: line(edge.points) }),
        );
      }
    }
    for (const name of graph.nodes) {
      const { x, y, width, height } = layout.nodes.get(name)!;
      const node = TERMINALS.has(name) ? terminalNode(name) : stepNode(name, width, height);
      node.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      if (!TERMINALS.has(name)) node.addEventListener('click', () => this.onSelect(name));
      this.svg.append(node);
      this.nodes.set(name, node);
    }
    this.select(this.selected);
    this.svg.dataset.drawn = String(graph.nodes.length);
  }

  setStepState(step: string, state: StepState): void {
    const node = this.nodes.get(step);
    if (!node || TERMINALS.has(step) || node.dataset.state === state) return;
    node.dataset.state = state;
    node.setAttribute('class', nodeClass(state, step === this.selected));
    node.querySelector('title')!.textContent = `${step}: ${state}`;
    node.querySelector('.mark')!.textContent = state === 'invalid' ? '✕' : state === 'canceled' ? '■' : '';
  }

  /** The step's latest duration and attempt count, under its name (empty before it ran). */
  setStepMeta(step: string, meta: { durationMs: number | null; attempt: number }): void {
    const node = this.nodes.get(step);
    if (!node || TERMINALS.has(step)) return;
    const text = node.querySelector('.meta')!;
    const attempts = meta.attempt > 1 ? `${meta.attempt} attempts` : meta.attempt === 1 ? '1 attempt' : '';
    const duration = formatDuration(meta.durationMs);
    const value = [duration, attempts].filter(Boolean).join(' · ');
    if (text.textContent === value) return;
    text.textContent = value;
    node.dataset.attempt = String(meta.attempt);
    node.dataset.durationMs = meta.durationMs === null ? '' : String(meta.durationMs);
  }

  /** The finish node takes the flow's state, so a glance tells how the run ended. */
  setFlowState(state: FlowState | null): void {
    const finish = this.nodes.get('finish');
    if (!finish) return;
    finish.dataset.state = state ?? '';
    finish.setAttribute('class', `node terminal${state && state !== 'embryo' ? ` state-${state}` : ''}`);
  }

  select(step: string | null): void {
    this.selected = step;
    for (const [name, node] of this.nodes) {
      if (!TERMINALS.has(name)) node.setAttribute('class', nodeClass(node.dataset.state ?? 'embryo', name === step));
    }
  }
}

function stepNode(name: string, width: number, height: number): SVGGElement {
  const node = el('g', {
    class: nodeClass('embryo', false),
    'data-step': name,
    'data-state': 'embryo',
    tabindex: '0',
    role: 'button',
  }) as SVGGElement;
  const title = el('title', {});
  title.textContent = `${name}: embryo`;
  const label = el('text', { class: 'label', x: '0', y: '-7' });
  label.textContent = name;
  const meta = el('text', { class: 'meta', x: '0', y: '10' });
  const mark = el('text', { class: 'mark', x: String(width / 2 - 10), y: String(-height / 2 + 10) });
  node.append(
    title,
    el('rect', { x: String(-width / 2), y: String(-height / 2), width: String(width), height: String(height), rx: '7' }),
    label,
    meta,
    mark,
  );
  return node;
}

function terminalNode(name: string): SVGGElement {
  const node = el('g', { class: 'node terminal', 'data-node': name }) as SVGGElement;
  node.append(el('circle', { r: String(TERMINAL_RADIUS) }));
  if (name === 'finish') node.append(el('circle', { r: String(TERMINAL_RADIUS - 4) }));
  const label = el('text', { y: String(TERMINAL_RADIUS + 12) });
  label.textContent = name;
  node.append(label);
  return node;
}

function arrowMarker(): SVGElement {
  const defs = el('defs', {});
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: '10',
    refY: '5',
    markerWidth: '7',
    markerHeight: '7',
    orient: 'auto-start-reverse',
  });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#98a2b3' }));
  defs.append(marker);
  return defs;
}

function nodeClass(state: string, selected: boolean): string {
  return `node state-${state}${selected ? ' selected' : ''}`;
}

function el(tag: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}
