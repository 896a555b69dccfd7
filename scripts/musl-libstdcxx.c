/* For scripts/test-musl.sh: Bun's musl build (the musl runtime with N-API
 * that the npm registry has) needs a libstdc++.so.6 built for musl, which
 * Debian does not package. test-musl.sh links one from Debian's own
 * libstdc++.a/libsupc++.a/libgcc_eh.a (taking only the members Bun's
 * undefined symbols pull in) with this file, which supplies what those
 * glibc-built objects expect of the C library and musl lacks. It serves the
 * test runtime only: the addon links its own C++ runtime (libc++) statically
 * and needs none of this. */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
char __libc_single_threaded = 0;
uint32_t arc4random(void) { uint32_t v = 0; while (getrandom(&v, sizeof v, 0) != sizeof v) {} return v; }
struct dl_find_object { unsigned long long flags; void *map_start, *map_end; void *link_map; void *eh_frame; unsigned long long reserved[7]; };
struct find { uintptr_t pc; struct dl_find_object *out; int found; };
static int cb(struct dl_phdr_info *info, size_t size, void *data) {
  struct find *f = data; (void)size;
  const ElfW(Phdr) *eh = NULL; int inside = 0; uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type == PT_LOAD) {
      uintptr_t s = info->dlpi_addr + p->p_vaddr, e = s + p->p_memsz;
      if (f->pc >= s && f->pc < e) inside = 1;
      if (s < lo) lo = s; if (e > hi) hi = e;
    } else if (p->p_type == PT_GNU_EH_FRAME) eh = p;
  }
  if (!inside) return 0;
  memset(f->out, 0, sizeof *f->out);
  f->out->map_start = (void *)lo; f->out->map_end = (void *)hi;
  f->out->eh_frame = eh ? (void *)(info->dlpi_addr + eh->p_vaddr) : NULL;
  f->found = 1; return 1;
}
int _dl_find_object(void *pc, struct dl_find_object *out) {
  struct find f = { (uintptr_t)pc, out, 0 };
  dl_iterate_phdr(cb, &f);
  return f.found ? 0 : -1;
}
/* thread_local destructors: run when the thread exits (a pthread key's
   destructor); the main thread's at exit. */
#include <pthread.h>
#include <stdlib.h>
struct tdtor { void (*fn)(void *); void *obj; struct tdtor *next; };
static pthread_key_t tkey; static pthread_once_t tonce = PTHREAD_ONCE_INIT;
static void run(void *head) { for (struct tdtor *d = head, *n; d; d = n) { n = d->next; d->fn(d->obj); free(d); } }
static void mkkey(void) { pthread_key_create(&tkey, run); }
int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso) {
  (void)dso; pthread_once(&tonce, mkkey);
  struct tdtor *d = malloc(sizeof *d); if (!d) return -1;
  d->fn = fn; d->obj = obj; d->next = pthread_getspecific(tkey);
  pthread_setspecific(tkey, d); return 0;
}
