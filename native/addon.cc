// Module entry: builds the per-load Addon, registers each concept's calls,
// and adds the env cleanup hook that stops every watcher and closes every
// descriptor this env still owns (a worker that ends with calls pending
// leaves no fd open and no handle on its loop).
#include "addon.h"

#include <unistd.h>

namespace ps {

Addon* GetAddon(Napi::Env env) { return env.GetInstanceData<Addon>(); }

void FinishTeardown(Addon* addon) {
  napi_async_cleanup_hook_handle handle = addon->cleanup_handle;
  addon->cleanup_handle = nullptr;
  // After this the env may release the Addon (instance data finalizer).
  if (handle != nullptr) napi_remove_async_cleanup_hook(handle);
}

int Identify(int fd, FileId* id) {
  struct stat st;
  if (fstat(fd, &st) == -1) return -errno;
  id->dev = st.st_dev;
  id->ino = st.st_ino;
  return 0;
}

static void OnEnvTeardown(napi_async_cleanup_hook_handle handle, void* arg) {
  auto* addon = static_cast<Addon*>(arg);
  addon->cleanup_handle = handle;
  addon->tearing_down = true;
  TeardownWatchers(addon);  // stop polling before the fds go away
  // Close what this env still owns, but only numbers that still refer to the
  // file it created: one closed elsewhere (say by a net.Socket it was handed
  // to) may now be another thread's file.
  for (auto& kv : addon->owned) {
    FileId now;
    if (Identify(kv.first, &now) == 0 && now == kv.second) close(kv.first);
  }
  addon->owned.clear();
  if (addon->on_ready != nullptr) napi_delete_reference(addon->env, addon->on_ready);
  if (addon->pairs_ref != nullptr) napi_delete_reference(addon->env, addon->pairs_ref);
  addon->on_ready = addon->pairs_ref = nullptr;
  addon->ready_pairs = nullptr;
  if (addon->closing_handles == 0) FinishTeardown(addon);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* addon = new Addon();
  addon->env = env;
  env.SetInstanceData(addon);  // deleted by the env once the hook is removed
  InitFd(env, exports);
  InitCalls(env, exports);
  InitSockopt(env, exports);
  InitIo(env, exports);
  InitSendfile(env, exports);
  InitMsg(env, exports);
  InitPoll(env, exports);
  InitSockaddr(env, exports);
  InitConstants(env, exports);
  InitSystem(env, exports);
  InitWatcher(env, exports);
  InitResolver(env, exports);
  InitNetdb(env, exports);
  napi_async_cleanup_hook_handle ignored;
  if (napi_add_async_cleanup_hook(env, OnEnvTeardown, addon, &ignored) != napi_ok)
    throw Napi::Error::New(env, "posix-sockets: could not add the env cleanup hook");
  return exports;
}

}  // namespace ps

static Napi::Object InitPosixSockets(Napi::Env env, Napi::Object exports) { return ps::Init(env, exports); }

NODE_API_MODULE(posix_sockets, InitPosixSockets)
