// Host-level calls: gethostname and the interface index <-> name pair.
import * as os from 'node:os';
import * as P from '../lib';
import { isLinux, thrown } from './helpers/sockets';

test('gethostname() is the kernel hostname, as os.hostname() reports it', () => {
  expect(P.gethostname()).toBe(os.hostname());
});

(isLinux ? test : test.skip)('if_nametoindex / if_indextoname for the loopback interface', () => {
  const index = P.if_nametoindex('lo');
  expect(index).toBeGreaterThan(0);
  expect(P.if_indextoname(index)).toBe('lo');
  expect(P.if_nametoindex('no-such-if0')).toBe(0);
  expect(thrown(() => P.if_indextoname(0x7fffffff)).code).toBe('ENXIO');
});
