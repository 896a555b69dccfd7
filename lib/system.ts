// Calls about the host rather than a socket (native/system.cc).
import { errnoError } from './errors';
import { native } from './native';

/** gethostname(2). */
export function gethostname(): string {
  const r = native.gethostname();
  if (typeof r === 'string') return r;
  throw errnoError(-r, 'gethostname');
}
