/* The musl prebuild loaded by musl's own dynamic linker, for hosts with no
 * musl Node (neither the npm registry nor Debian has one): built by
 * scripts/test-musl.sh with the pinned Zig for x86_64-linux-musl, with
 * stand-ins for the napi_* and uv_* symbols Node would provide. dlopen with
 * RTLD_NOW binds every symbol the addon needs from musl's libc (any glibc-only
 * symbol fails here) and runs its static constructors (libc++'s included);
 * then N-API's version entry point is called. Node's part (module init and
 * the calls) cannot run without a musl Node. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s addon.node\n", argv[0]);
    return 2;
  }
  void* h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    fprintf(stderr, "musl-load: %s\n", dlerror());
    return 1;
  }
  int (*version)(void) = (int (*)(void))dlsym(h, "node_api_module_get_api_version_v1");
  void* init = dlsym(h, "napi_register_module_v1");
  if (version == NULL || init == NULL) {
    fprintf(stderr, "musl-load: N-API entry points missing\n");
    return 1;
  }
  printf("musl-load: loaded %s: N-API version %d, napi_register_module_v1 found\n", argv[1], version());
  return dlclose(h) == 0 ? 0 : 1;
}
