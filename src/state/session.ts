/** The page's state objects, shared with components through Svelte context. */
import { getContext, setContext } from 'svelte';
import type { EngineState } from './engine.svelte';
import type { NotebookState } from './notebook.svelte';
import type { TablesState } from './tables.svelte';
import type { Library } from './library.svelte';

/** Everything a component may need. */
export interface Session {
  engine: EngineState;
  tables: TablesState;
  notebook: NotebookState;
  library: Library;
}

const KEY = Symbol('segnote-session');

/** Makes the session available to descendants. */
export function provideSession(session: Session): void {
  setContext(KEY, session);
}

/** The session provided by App. */
export function useSession(): Session {
  return getContext<Session>(KEY);
}
