import { statusNames } from './messages.js';
import type { Status } from './messages.js';

/**
 * `bento invoke`'s exit codes: 0 for OK, 10 + the status byte for the device's other answers
 * (REJECTED 11 ... BAD_TYPE 20), 124 when no answer came in time (as bento run's timeout), 125
 * when the device went down mid-request. 1 and 2 keep their meaning (bento's errors, usage).
 */
export const invokeExit = { timeout: 124, down: 125 } as const;

export function exitForStatus(status: Status): number {
  return status === 'OK' ? 0 : 10 + statusNames.indexOf(status);
}
