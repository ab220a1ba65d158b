// What the page's modules share: the session's last state and where the page stands. One object,
// imported by every module that reads or changes it.

export const ui = {
  /** `control` (this page types) or `watch`. */
  role: null,
  /** True while the session waits for a command. */
  ready: false,
  /** True on a snapshot's page (ts-pdb open --web): the program is gone. */
  snapshot: false,
  /** True once the session ended. */
  ended: false,
  /** The session's prompt (`ipdb> `). */
  prompt: '',
  /** The last SessionState (runtime/engine/requests.ts). */
  state: null,
  /** Bumped by each state: answers about an older one are dropped. */
  generation: 0,
};
