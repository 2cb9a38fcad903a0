/** An error response of the API: `{ statusCode, error, message }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'synergy-flow-viewer-token';

/**
 * fetch() with the viewer's token. The token comes from the URL fragment once (`#token=...`, never
 * sent to a server or kept in history) or from the token form, and lives in sessionStorage.
 */
export class ApiClient {
  constructor(private readonly onUnauthorized: () => void) {
    const fromFragment = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (fromFragment) {
      this.token = decodeURIComponent(fromFragment[1]);
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  headers(): Record<string, string> {
    const token = this.token;
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>(path, { headers: this.headers() });
  }

  post<T>(path: string, body: object = {}): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** Reports a 401 to the page (it shows the token form) and throws it like any other error. */
  unauthorized(): void {
    this.onUnauthorized();
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    const response = await fetch(path, init);
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw new ApiError(response.status, body.error ?? 'HttpError', body.message ?? `${response.status} ${response.statusText}`);
    }
    return body as T;
  }
}

/** `/api/flows/a/runs/b` with every part encoded. */
export function apiPath(...parts: string[]): string {
  return '/api/' + parts.map(encodeURIComponent).join('/');
}
