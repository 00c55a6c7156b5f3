/** Headless Debian Chromium driven by playwright-core, with every request outside the page's origin recorded. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

export interface AppPage {
  page: Page;
  context: BrowserContext;
  baseUrl: string;
  /** Requests to any origin other than the app's. */
  foreignRequests: string[];
  /** Every URL the page and its workers asked for, in order (not the service worker's own fetches, such as its precache). */
  requests: string[];
  /** Uncaught page errors. */
  pageErrors: string[];
  close(): Promise<void>;
}

let browser: Browser | undefined;

/** Launches (once per test file) the browser with the flags this machine needs. */
export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return browser;
}

/** Closes the browser. */
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/**
 * Opens the app in a fresh context and waits until the sample is loaded and the starter notebook has run.
 * `offline`: let the app register its service worker (it then caches the whole app, ~40 MB, in
 * every fresh context; only the tests of offline use and updates need it).
 */
export async function openApp(options: { waitReady?: boolean; path?: string; locale?: string; baseUrl?: string; offline?: boolean } = {}): Promise<AppPage> {
  // `baseUrl`: another server than the shared preview of dist/ (e.g. one whose files a test changes).
  const baseUrl = options.baseUrl ?? inject('baseUrl');
  const origin = new URL(baseUrl).origin;
  const b = await launch();
  // `locale` sets navigator.languages (and Accept-Language) like a browser set to that language.
  const context = await b.newContext({
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
    serviceWorkers: options.offline ? 'allow' : 'block',
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const requests: string[] = [];
  context.on('request', (r) => void (r.serviceWorker() === null && requests.push(r.url())));
  const pageErrors: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (/^(data|blob):/.test(url)) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  await page.goto(new URL(options.path ?? '', baseUrl).toString());
  if (options.waitReady !== false) await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  return { page, context, baseUrl, foreignRequests, requests, pageErrors, close: () => context.close() };
}

/** Drops files onto the page the way a user's drag and drop does (a real DataTransfer with File objects). */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array; type?: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type ?? '', data: Array.from(f.bytes) }));
  const dt = await page.evaluateHandle((fs) => {
    const transfer = new DataTransfer();
    for (const f of fs) transfer.items.add(new File([new Uint8Array(f.data)], f.name, { type: f.type }));
    return transfer;
  }, payload);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

/** Opens the app (fresh context) before a file's tests and closes it and the browser after them; returns a getter. */
export function appPerFile(options: Parameters<typeof openApp>[0] = {}): () => AppPage {
  let app: AppPage | undefined;
  beforeAll(async () => {
    app = await openApp(options);
  });
  afterAll(async () => {
    await app?.close();
    await closeBrowser();
  });
  return () => {
    if (!app) throw new Error('the app is not open (yet)');
    return app;
  };
}
