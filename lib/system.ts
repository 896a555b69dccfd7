// Calls about the host rather than a socket (native/system.cc).
import { checkInt } from './validate';
import { errnoError } from './errors';
import { native } from './native';

/** gethostname(2). */
export function gethostname(): string {
  const r = native.gethostname();
  if (typeof r === 'string') return r;
  throw errnoError(-r, 'gethostname');
}

/** if_nametoindex(3): the index of a network interface, 0 if there is none. */
export function if_nametoindex(name: string): number {
  if (typeof name !== 'string') throw new TypeError('name must be a string');
  return native.if_nametoindex(name);
}

/** if_indextoname(3): the name of interface `index` (ENXIO if there is none). */
export function if_indextoname(index: number): string {
  checkInt(index, 'index', 0, 0xffffffff);
  const r = native.if_indextoname(index);
  if (typeof r === 'string') return r;
  throw errnoError(-r, 'if_indextoname');
}
