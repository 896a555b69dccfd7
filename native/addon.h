// Shared declarations for every native file.
//
// How a call travels: lib/<concept>.ts validates the arguments and calls one
// function exported from native/<concept>.cc; that function makes exactly one
// system call (EINTR retried, never for close) and returns its result or
// -errno. TypeScript turns -errno into a SocketError, or, for the promise
// calls, waits for readiness (native/watcher.cc) and calls again.
#pragma once

#include <napi.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ps {

struct Watcher;  // native/watcher.cc: the only file that includes uv.h

// One Addon per load (main thread and each worker), reached through the env's
// instance data: the addon keeps no static state.
struct Addon {
  // Descriptors this env created (socket/socketpair/accept) and has not
  // closed or released: the env cleanup hook closes them.
  std::unordered_set<int> owned;
  // One watcher per fd that has ever waited, until close/release.
  std::unordered_map<int, Watcher*> watchers;
  // True while a readiness callback runs JS: interest changes made then are
  // applied once it returns, so a waiter that re-arms in a microtask costs no
  // epoll_ctl (see watcher.cc).
  bool dispatching = false;
  std::vector<Watcher*> dirty;
  void* loop = nullptr;  // uv_loop_t*, typed in watcher.cc only
  // Env teardown (addon.cc): set once the async cleanup hook has run; the
  // hook is removed when the last uv_close callback has come back.
  bool tearing_down = false;
  int closing_handles = 0;
  napi_async_cleanup_hook_handle cleanup_handle = nullptr;
};

Addon* GetAddon(Napi::Env env);

// Retries a call interrupted by a signal (libuv does the same around every
// call except close, which must never be retried).
template <typename F>
inline auto RetryEintr(F f) -> decltype(f()) {
  decltype(f()) r;
  do r = f(); while (r == -1 && errno == EINTR);
  return r;
}

// `r` from a call that returns -1 on failure, as a value or -errno.
inline int Result(int r) { return r == -1 ? -errno : r; }
inline double Result(ssize_t r) { return r == -1 ? -errno : static_cast<double>(r); }

// Argument readers (native/args.cc). They throw TypeError/RangeError, so
// nothing malformed reaches a system call even when the binding is called
// directly, without lib/.
int ArgFd(const Napi::CallbackInfo& info, size_t i);
int ArgInt(const Napi::CallbackInfo& info, size_t i, const char* name);
struct Bytes {
  uint8_t* data;
  size_t length;
};
// Any ArrayBufferView (Buffer, Uint8Array, DataView...) or ArrayBuffer.
Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name);
Napi::Object ArgObject(const Napi::CallbackInfo& info, size_t i, const char* name);
[[noreturn]] void ThrowType(Napi::Env env, const char* fmt, ...);
[[noreturn]] void ThrowRange(Napi::Env env, const char* fmt, ...);

// Bookkeeping for descriptors (native/fd.cc).
void Adopt(Addon* addon, int fd);   // a new fd from socket/accept/socketpair
void Forget(Addon* addon, int fd);  // stop watching and tracking; fd stays open

// Readiness (native/watcher.cc).
void StopWatching(Addon* addon, int fd);
void TeardownWatchers(Addon* addon);  // uv_close every handle
void FinishTeardown(Addon* addon);    // addon.cc: once no handle is left closing

// One Init per concept, gathered by addon.cc.
void InitFd(Napi::Env env, Napi::Object exports);
void InitCalls(Napi::Env env, Napi::Object exports);
void InitIo(Napi::Env env, Napi::Object exports);
void InitPoll(Napi::Env env, Napi::Object exports);
void InitSockaddr(Napi::Env env, Napi::Object exports);
void InitConstants(Napi::Env env, Napi::Object exports);
void InitSystem(Napi::Env env, Napi::Object exports);
void InitWatcher(Napi::Env env, Napi::Object exports);
void InitResolver(Napi::Env env, Napi::Object exports);

}  // namespace ps
