import type * as Dagre from '@dagrejs/dagre';
import type { FlowState, StepState } from './api-types.js';

/** dagre's browser build, loaded by its own script tag before this module. */
declare const dagre: typeof Dagre;

const SVG = 'http://www.w3.org/2000/svg';
const NODE_HEIGHT = 38;
const TERMINAL_RADIUS = 18;
const TERMINALS = new Set(['start', 'finish']);

/**
 * The flow's DAG as SVG, laid out by dagre: start and finish nodes around the steps, one edge per
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
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 26, ranksep: 56, marginx: 24, marginy: 24 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const name of graph.nodes) {
      const terminal = TERMINALS.has(name);
      g.setNode(name, {
        width: terminal ? TERMINAL_RADIUS * 2 : Math.max(92, name.length * 7.4 + 30),
        height: terminal ? TERMINAL_RADIUS * 2 : NODE_HEIGHT,
      });
    }
    for (const { from, to } of graph.edges) g.setEdge(from, to);
    dagre.layout(g);

    this.svg.replaceChildren(arrowMarker());
    this.nodes.clear();
    const size = g.graph() as { width?: number; height?: number };
    const width = Math.ceil(size.width ?? 0);
    const height = Math.ceil(size.height ?? 0);
    // fits the canvas, growing a little at most: a three-step flow should not fill the screen
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.style.maxWidth = `${Math.round(width * 1.4)}px`;
    for (const edge of g.edges()) {
      const points: Array<{ x: number; y: number }> = (g.edge(edge) as { points?: Array<{ x: number; y: number }> }).points ?? [];
      const path = el('path', { class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.v, 'data-to': edge.w });
      path.setAttribute('d', points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '));
      this.svg.append(path);
    }
    for (const name of graph.nodes) {
      const { x, y, width, height } = g.node(name) as { x: number; y: number; width: number; height: number };
      const node = TERMINALS.has(name) ? terminalNode(name) : stepNode(name, width, height);
      node.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      if (!TERMINALS.has(name)) node.addEventListener('click', () => this.onSelect(name));
      this.svg.append(node);
      this.nodes.set(name, node);
    }
    this.select(this.selected);
  }

  setStepState(step: string, state: StepState): void {
    const node = this.nodes.get(step);
    if (!node || TERMINALS.has(step) || node.dataset.state === state) return;
    node.dataset.state = state;
    node.setAttribute('class', nodeClass(state, step === this.selected));
    node.querySelector('title')!.textContent = `${step}: ${state}`;
    node.querySelector('.mark')!.textContent = state === 'invalid' ? '✕' : state === 'canceled' ? '■' : '';
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
  const label = el('text', { x: '0', y: '0' });
  label.textContent = name;
  const mark = el('text', { class: 'mark', x: String(width / 2 - 10), y: String(-height / 2 + 10) });
  node.append(
    title,
    el('rect', { x: String(-width / 2), y: String(-height / 2), width: String(width), height: String(height), rx: '7' }),
    label,
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
