// Shared declarations for every native file.
//
// How a call travels: lib/<concept>.ts validates the arguments and calls one
// function exported from native/<concept>.cc; that function makes exactly one
// system call (EINTR retried, never for close) and returns its result or
// -errno. TypeScript turns -errno into a SocketError, or, for the promise
// calls, waits for readiness (native/watcher.cc) and calls again.
#pragma once

#include <napi.h>

#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ps {

struct Watcher;  // native/watcher.cc: the only file that includes uv.h

// What a descriptor number refers to: the file (socket inode) behind it.
// Numbers are reused as soon as they are closed, by anyone in the process;
// the pair (st_dev, st_ino) is not, while the file is open.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileId& o) const { return dev == o.dev && ino == o.ino; }
  bool operator!=(const FileId& o) const { return !(*this == o); }
};

// fstat's identity of `fd`, or -errno (EBADF once it is closed).
int Identify(int fd, FileId* id);

// One Addon per load (main thread and each worker), reached through the env's
// instance data: the addon keeps no static state.
struct Addon {
  napi_env env = nullptr;
  // Descriptors this env created (socket/socketpair/accept) and has not
  // closed or released, with the file each number referred to then: the env
  // cleanup hook closes those still referring to that file, and nothing else.
  std::unordered_map<int, FileId> owned;
  // False on the main thread (lib/native.ts says so): its env ends only
  // when the process does, and the kernel closes every fd then, so nothing
  // is recorded (saving an fstat per socket created or accepted).
  bool track_owned = true;
  // One watcher per fd that has ever waited, until close/release, or until
  // the number is found to refer to another file (native/watcher.cc).
  std::unordered_map<int, Watcher*> watchers;
  void* poller = nullptr;  // watcher.cc's Poller: the env's epoll/kqueue set
  // lib/readiness.ts's onReady, and the Int32Array the ready (fd, events)
  // pairs of one batch are written to.
  napi_ref on_ready = nullptr;
  napi_ref pairs_ref = nullptr;
  int32_t* ready_pairs = nullptr;
  int ready_capacity = 0;
  // True while a readiness callback runs JS: interest reductions made then
  // are applied once it returns, so a waiter that re-arms in a microtask
  // costs no epoll_ctl (see watcher.cc).
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

// For the calls a socket timeout bounds (SO_RCVTIMEO for recv/accept,
// SO_SNDTIMEO for send/connect): the kernel restarts its timer from zero
// when a call interrupted by a signal is retried, so under periodic signals
// a blocking call with a 1 s timeout could never return. Like CPython's
// sock_call_ex, the whole call is bounded instead: after EINTR, poll(2) for
// `events` with what is left of the socket's timeout (forever if it has
// none), then try again without blocking (f(true): pass MSG_DONTWAIT where
// the call has it), and wait again on EAGAIN. Once the time is up: -1 with
// errno = `expired`, what the kernel answers then (EAGAIN; EINPROGRESS for
// connect). A call that does not block (the promise functions pass
// MSG_DONTWAIT) never sees EINTR, so this costs it one clock read.
struct Deadline {
  int64_t start_ns;
};
Deadline StartDeadline();  // native/poll.cc
// Polls `fd` for `events` with what is left of its timeout `option`
// (SO_RCVTIMEO/SO_SNDTIMEO) since `d`: 1 when ready, 0 when the time is up,
// -1 with errno on error. EINTR is retried with the time left.
int WaitRemaining(int fd, int option, short events, const Deadline& d);

template <typename F>
inline auto RetryEintrTimed(int fd, int option, short events, int expired, F f) -> decltype(f(false)) {
  Deadline d = StartDeadline();
  auto r = f(false);
  bool retried = false;
  while (r == -1 && (errno == EINTR || (retried && errno == EAGAIN))) {
    int w = WaitRemaining(fd, option, events, d);
    if (w < 0) return -1;
    if (w == 0) {
      errno = expired;
      return -1;
    }
    retried = true;
    r = f(true);
  }
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
// The same rules for a value that is not itself an argument (an array element).
Bytes BytesOf(Napi::Env env, Napi::Value value, const char* name);
int IntOf(Napi::Env env, Napi::Value value, const char* name);
Napi::Object ArgObject(const Napi::CallbackInfo& info, size_t i, const char* name);
uint32_t ArgUint32(const Napi::CallbackInfo& info, size_t i, const char* name);
std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name);
// null/undefined -> false; a string without NUL bytes -> true and *out.
bool ArgOptionalString(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out);
// An address object or encoded sockaddr bytes (native/sockaddr.cc's rules).
socklen_t ArgSockaddr(const Napi::CallbackInfo& info, size_t i, sockaddr_storage* ss);
// Absent or not an object -> false.
bool ArgOptionalObject(const Napi::CallbackInfo& info, size_t i, Napi::Object* out);
int ArgOptionalInt(const Napi::CallbackInfo& info, size_t i, const char* name, int fallback);
Napi::Function ArgFunction(const Napi::CallbackInfo& info, size_t i, const char* name);
[[noreturn]] void ThrowType(Napi::Env env, const char* fmt, ...);
[[noreturn]] void ThrowRange(Napi::Env env, const char* fmt, ...);

// Bookkeeping for descriptors (native/fd.cc).
void Adopt(Addon* addon, int fd);   // a new fd from socket/accept/socketpair
void Forget(Addon* addon, int fd);  // stop watching and tracking; fd stays open

// Readiness (native/watcher.cc).
void StopWatching(Addon* addon, int fd);
void TeardownWatchers(Addon* addon);  // uv_close the poll set's handle
void FinishTeardown(Addon* addon);    // addon.cc: once no handle is left closing

// One Init per concept, gathered by addon.cc.
void InitFd(Napi::Env env, Napi::Object exports);
void InitCalls(Napi::Env env, Napi::Object exports);
void InitSockopt(Napi::Env env, Napi::Object exports);
void InitIo(Napi::Env env, Napi::Object exports);
void InitSendfile(Napi::Env env, Napi::Object exports);
void InitMsg(Napi::Env env, Napi::Object exports);
void InitPoll(Napi::Env env, Napi::Object exports);
void InitSockaddr(Napi::Env env, Napi::Object exports);
void InitConstants(Napi::Env env, Napi::Object exports);
void InitSystem(Napi::Env env, Napi::Object exports);
void InitWatcher(Napi::Env env, Napi::Object exports);
void InitResolver(Napi::Env env, Napi::Object exports);
void InitNetdb(Napi::Env env, Napi::Object exports);

}  // namespace ps
