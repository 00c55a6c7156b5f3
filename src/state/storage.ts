/**
 * The browser's storage for Segnote: notebooks and the files behind loaded tables live in
 * IndexedDB, so a reload brings everything back without asking for the files again.
 */
import type { NotebookDoc } from '../lib/notebook/document';
import type { KeptResults } from '../lib/notebook/kept-results';
import type { LoadOptions } from '../../workers/engine-types';
import { t } from '../lib/i18n';

const DB_NAME = 'segnote';
const DB_VERSION = 2;
/** Files larger than this are not kept; after a reload the user is asked for them by name. */
export const MAX_KEPT_FILE_BYTES = 512 * 1024 ** 2;

/** A stored notebook. */
export interface StoredNotebook {
  id: string;
  doc: NotebookDoc;
  updatedAt: number;
}

/** A stored file behind a table; `blob` is null when it was too large to keep. */
export interface StoredFile {
  table: string;
  fileName: string;
  size: number;
  options: LoadOptions;
  blob: Blob | null;
  /** Load order, so tables come back in the order they were added. */
  seq: number;
}

let opening: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains('notebooks')) d.createObjectStore('notebooks', { keyPath: 'id' });
      if (!d.objectStoreNames.contains('files')) d.createObjectStore('files', { keyPath: 'table' });
      if (!d.objectStoreNames.contains('meta')) d.createObjectStore('meta');
      // Version 2: each notebook's last results, shown on the next visit until the live runs replace them.
      if (!d.objectStoreNames.contains('results')) d.createObjectStore('results', { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

async function run<T>(store: string, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const d = await db();
  return new Promise<T>((resolve, reject) => {
    const tx = d.transaction(store, mode);
    const req = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? req.error);
    tx.onabort = () => reject(tx.error ?? new Error(t('msg.store.refused')));
  });
}

/** All stored notebooks, most recently changed first. */
export async function listNotebooks(): Promise<StoredNotebook[]> {
  const all = await run<StoredNotebook[]>('notebooks', 'readonly', (s) => s.getAll() as IDBRequest<StoredNotebook[]>);
  return all.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Saves a notebook. */
export function saveNotebook(n: StoredNotebook): Promise<unknown> {
  return run('notebooks', 'readwrite', (s) => s.put(n));
}

/** Deletes a notebook. */
export function deleteNotebook(id: string): Promise<unknown> {
  return run('notebooks', 'readwrite', (s) => s.delete(id));
}

/** A notebook's results kept from its last runs, if any. */
export function loadResults<R>(id: string): Promise<KeptResults<R> | undefined> {
  return run<KeptResults<R> | undefined>('results', 'readonly', (s) => s.get(id) as IDBRequest<KeptResults<R> | undefined>);
}

/** Keeps a notebook's results for the next visit. */
export function saveResults<R>(kept: KeptResults<R>): Promise<unknown> {
  return run('results', 'readwrite', (s) => s.put(kept));
}

/** Forgets a notebook's kept results. */
export function deleteResults(id: string): Promise<unknown> {
  return run('results', 'readwrite', (s) => s.delete(id));
}

/** The id of the notebook open last, if any. */
export function lastOpened(): Promise<string | undefined> {
  return run<string | undefined>('meta', 'readonly', (s) => s.get('lastOpened') as IDBRequest<string | undefined>);
}

/** Remembers the open notebook. */
export function setLastOpened(id: string): Promise<unknown> {
  return run('meta', 'readwrite', (s) => s.put(id, 'lastOpened'));
}

/** Stored files, in load order. */
export async function listFiles(): Promise<StoredFile[]> {
  const all = await run<StoredFile[]>('files', 'readonly', (s) => s.getAll() as IDBRequest<StoredFile[]>);
  return all.sort((a, b) => a.seq - b.seq);
}

/** Keeps a loaded table's file (or just its name, when too large). */
export function saveFile(f: StoredFile): Promise<unknown> {
  return run('files', 'readwrite', (s) => s.put(f));
}

/** Forgets a table's file. */
export function deleteFile(table: string): Promise<unknown> {
  return run('files', 'readwrite', (s) => s.delete(table));
}

/** Asks the browser not to evict our storage under pressure; returns whether it agreed. */
export async function requestPersistence(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

/** Origins the user allowed Segnote to download data from. */
export async function approvedOrigins(): Promise<string[]> {
  return (await run<string[] | undefined>('meta', 'readonly', (s) => s.get('approvedOrigins') as IDBRequest<string[] | undefined>)) ?? [];
}

/** Remembers that the user allowed downloads from `origin`. */
export async function approveOrigin(origin: string): Promise<void> {
  const list = await approvedOrigins();
  if (!list.includes(origin)) await run('meta', 'readwrite', (s) => s.put([...list, origin], 'approvedOrigins'));
}
