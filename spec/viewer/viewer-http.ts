import { filter, firstValueFrom } from 'rxjs';
import type { FlowStateEvent, SynergyFlowApp } from '../../src';

export interface HttpResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  /** Default application/json for POSTs. */
  contentType?: string | null;
  /** Sent as is; null sends no body at all. */
  rawBody?: string | null;
  /** More headers (an Origin, say). */
  headers?: Record<string, string>;
}

/** One real HTTP request to a running viewer; JSON bodies parsed. */
export async function http(baseUrl: string, method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const contentType = options.contentType === undefined ? (method === 'POST' ? 'application/json' : null) : options.contentType;
  if (contentType) headers['content-type'] = contentType;
  const body =
    options.rawBody === null ? undefined : (options.rawBody ?? (method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined));
  const response = await fetch(new URL(path, baseUrl), { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Resolves with the flow event that ends the run (processed, noop or invalid). Subscribe before starting it. */
export function runEnd(app: SynergyFlowApp, flowName: string, timeperiod: string): Promise<FlowStateEvent> {
  return firstValueFrom(
    app.events$.pipe(
      filter(
        (e): e is FlowStateEvent =>
          e.type === 'flow' && e.flowName === flowName && e.timeperiod === timeperiod && e.state !== 'in_progress' && e.state !== 'embryo',
      ),
    ),
  );
}
