/** An operator's browser, played from Node: a cookie jar, the CSRF token, and every body seen. */
export interface OperatorResponse {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

export class OperatorClient {
  cookie = "";
  csrfToken = "";
  /** Every response body this client received, for the "no secret in any response" check. */
  readonly bodies: string[] = [];

  constructor(
    readonly serverUrl: string,
    readonly origin = serverUrl,
  ) {}

  async request(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<OperatorResponse> {
    const method = init.method ?? (init.body !== undefined ? "POST" : "GET");
    const headers: Record<string, string> = { origin: this.origin, ...(this.cookie ? { cookie: this.cookie } : {}) };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (method === "POST" && init.csrf !== false && this.csrfToken) headers["x-baton-csrf"] = this.csrfToken;
    const response = await fetch(new URL(path, this.serverUrl), {
      method,
      headers: { ...headers, ...init.headers },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const setCookie = response.headers.getSetCookie?.() ?? [];
    for (const c of setCookie) {
      const pair = c.split(";")[0];
      this.cookie = pair.endsWith("=") ? "" : pair;
    }
    const text = await response.text();
    this.bodies.push(text);
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  async signIn(email: string, password: string): Promise<OperatorResponse> {
    const response = await this.request("/api/operator/sign-in", { body: { email, password } });
    if (response.status === 200) this.csrfToken = response.json.csrfToken;
    return response;
  }

  post(path: string, body: unknown = {}, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    return this.request(path, { method: "POST", body, ...options });
  }

  get(path: string) {
    return this.request(path);
  }
}
