// Readiness: the only file that includes uv.h. One uv_poll_t per fd, made on
// the fd's first wait and kept until close/release; lib/readiness.ts keeps
// the queues of waiters and says which events it wants with
// watch(fd, events). When the fd is ready, the one callback lib/ registered
// with setReadyCallback runs as onReady(fd, events) and retries the waiting
// calls.
//
// uv_poll_start always does epoll_ctl DEL then ADD, and uv_poll_stop a DEL,
// so interest reductions made while onReady (and the microtasks it triggers)
// run are only recorded, and applied once it returns: a ping-pong whose
// continuation waits again on the same fd leaves the poll handle armed and
// makes no epoll_ctl at all. Increases are applied at once, so their errors
// reach the caller.
//
// Numbers are not identities: an fd closed behind the package's back (by
// fs.closeSync, a child, another library) is reused by the next open in the
// process. Each watcher records the file (fstat st_dev/st_ino) it was made
// for and checks it before arming and before every dispatch (one fstat per
// wake-up: 1-2% of a loopback round trip, measured in bench/); a mismatch
// drops the watcher and tells lib/ (kStale), which fails that fd's waiters
// with EBADF. So a waiter never reads another socket's data, and libuv is
// never asked to epoll a regular file (it would abort()).
#include <fcntl.h>
#include <uv.h>

#include "addon.h"

namespace ps {

// Bits shared with lib/readiness.ts.
enum : int { kReadable = 1, kWritable = 2, kPriority = 4, kError = 8, kStale = 16 };

struct Watcher {
  uv_poll_t poll;
  Addon* addon;
  int fd;
  FileId id;      // the file the number referred to when this watcher was made
  int armed = 0;  // events uv_poll is started with now
  int want = 0;   // events lib/ asked for
  bool dirty = false;
  bool closing = false;
};

static void OnClosed(uv_handle_t* handle) {
  auto* w = static_cast<Watcher*>(handle->data);
  Addon* addon = w->addon;
  delete w;
  if (--addon->closing_handles == 0 && addon->tearing_down) FinishTeardown(addon);
}

static int ToUv(int events) {
  return (events & kReadable ? UV_READABLE : 0) | (events & kWritable ? UV_WRITABLE : 0) |
         (events & kPriority ? UV_PRIORITIZED : 0);
}

static void OnPoll(uv_poll_t* handle, int status, int events);

static void Close(Addon* addon, Watcher* w) {
  w->closing = true;
  addon->closing_handles++;
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
}


// Makes the poll handle's events what lib/ wants: 0 or a libuv error (-errno).
static int Apply(Watcher* w) {
  w->dirty = false;
  if (w->closing || w->want == w->armed) return 0;
  if (w->want == 0) {
    int r = uv_poll_stop(&w->poll);  // 0 in every libuv so far
    if (r < 0) return r;
  } else {
    int r = uv_poll_start(&w->poll, ToUv(w->want), OnPoll);
    if (r < 0) return r;  // EEXIST: another handle on this loop polls the fd
  }
  w->armed = w->want;
  return 0;
}

static void ApplyDirty(Addon* addon) {
  std::vector<Watcher*> dirty;
  dirty.swap(addon->dirty);
  for (Watcher* d : dirty) {
    // A reduction cannot fail (uv_poll_stop, or uv_poll_start with fewer
    // events on a handle libuv already accepted for this fd).
    Apply(d);
  }
}

// Calls lib/'s onReady(fd, events) with the raw N-API, so that a JS
// exception, or an env that can no longer run JS (a worker being
// terminated, process.exit() in a continuation), never becomes a C++
// exception or a fatal error here: the program's own exception goes to the
// uncaught-exception machinery (which, in a worker, ends that worker), and
// a terminating env's is dropped.
static void Dispatch(Addon* addon, int fd, int events) {
  if (addon->on_ready == nullptr || addon->tearing_down) return;
  napi_env env = addon->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb = nullptr, recv, argv[2];
  if (napi_get_reference_value(env, addon->on_ready, &cb) == napi_ok && cb != nullptr &&
      napi_get_global(env, &recv) == napi_ok && napi_create_int32(env, fd, &argv[0]) == napi_ok &&
      napi_create_int32(env, events, &argv[1]) == napi_ok) {
    addon->dispatching = true;
    napi_status s = napi_make_callback(env, nullptr, recv, cb, 2, argv, nullptr);
    addon->dispatching = false;
    if (s != napi_ok) {
      bool pending = false;
      napi_value exc = nullptr;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
          napi_get_and_clear_last_exception(env, &exc) == napi_ok && exc != nullptr && !addon->tearing_down) {
        napi_valuetype type;
        // A terminating env reports no exception object: nothing to report.
        if (napi_typeof(env, exc, &type) == napi_ok && type != napi_undefined) napi_fatal_exception(env, exc);
      }
    }
  }
  napi_close_handle_scope(env, scope);
}

static void OnPoll(uv_poll_t* handle, int status, int events) {
  auto* w = static_cast<Watcher*>(handle->data);
  Addon* addon = w->addon;
  if (w->closing) return;
  int fd = w->fd;
  int ready = (events & UV_READABLE ? kReadable : 0) | (events & UV_WRITABLE ? kWritable : 0) |
              (events & UV_PRIORITIZED ? kPriority : 0);
  if (status < 0) {
    // POLLERR: libuv has stopped the handle and reports UV_EBADF with no
    // events. Every waiter retries its call, which returns the real error
    // (ECONNREFUSED, ECONNRESET...) or EAGAIN; lib/ re-arms for those left.
    w->armed = 0;
    ready = kReadable | kWritable | kPriority | kError;
  }
  FileId now;
  if (Identify(fd, &now) != 0 || now != w->id) {
    AbandonWatcher(addon, fd);
    ready = kStale;
  }
  Dispatch(addon, fd, ready);
  ApplyDirty(addon);
}

// watch(fd, events) -> the events the fd's poll handle is armed for now, or
// -errno: EBADF when the fd is closed, ESTALE when the number now refers to
// another file than the one its earlier waiters were queued for (the
// watcher is dropped: lib/ fails those waiters and may watch again), EEXIST
// when the loop already polls this fd for someone else (a net.Socket),
// EPERM for a file epoll cannot watch.
static Napi::Value Watch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  int events = ArgInt(info, 1, "events");
  if (events & ~(kReadable | kWritable | kPriority))
    ThrowRange(env, "events must be a mask of 1 (readable), 2 (writable) and 4 (priority)");
  Addon* addon = GetAddon(env);
  auto it = addon->watchers.find(fd);
  Watcher* w;
  if (it != addon->watchers.end()) {
    w = it->second;
    // Before uv_poll_start (which libuv turns into an epoll_ctl that aborts
    // the process if it fails, say for a regular file that took the number).
    bool starts = events != 0 && events != w->armed && (!addon->dispatching || (events & ~w->armed) != 0);
    if (starts) {
      FileId now;
      int r = Identify(fd, &now);
      if (r < 0 || now != w->id) {
        AbandonWatcher(addon, fd);
        return Napi::Number::New(env, r < 0 ? r : -ESTALE);
      }
    }
  } else {
    if (events == 0) return Napi::Number::New(env, 0);
    FileId id;
    int r = Identify(fd, &id);
    if (r < 0) return Napi::Number::New(env, r);
    int flags = RetryEintr([&] { return fcntl(fd, F_GETFL); });
    if (flags == -1) return Napi::Number::New(env, -errno);
    w = new Watcher();
    r = uv_poll_init_socket(static_cast<uv_loop_t*>(addon->loop), &w->poll, fd);
    if (r < 0) {
      delete w;
      return Napi::Number::New(env, r);  // libuv's codes are -errno on unix
    }
    w->poll.data = w;
    w->addon = addon;
    w->fd = fd;
    w->id = id;
    // uv_poll_init switched the fd to O_NONBLOCK; put back what the user
    // chose, so a blocking fd stays blocking for its ...Sync calls and for
    // anyone checking F_GETFL. uv_poll only polls: it never reads the flag.
    if (!(flags & O_NONBLOCK) && RetryEintr([&] { return fcntl(fd, F_SETFL, flags); }) == -1) {
      int err = errno;
      Close(addon, w);
      return Napi::Number::New(env, -err);
    }
    addon->watchers.emplace(fd, w);
  }
  w->want = events;
  if (!addon->dispatching || (events & ~w->armed) != 0) {
    int r = Apply(w);
    if (r < 0) return Napi::Number::New(env, r);
  } else if (!w->dirty) {
    w->dirty = true;
    addon->dirty.push_back(w);
  }
  // What the poll handle is armed for now: while a readiness callback runs,
  // reductions wait until it returns, so this can still include events just
  // given up.
  return Napi::Number::New(env, w->armed);
}

void StopWatching(Addon* addon, int fd) {
  auto it = addon->watchers.find(fd);
  if (it == addon->watchers.end()) return;
  Watcher* w = it->second;
  addon->watchers.erase(it);
  // uv_close stops the poll (epoll_ctl DEL) now and frees `w` in OnClosed.
  Close(addon, w);
}

void AbandonWatcher(Addon* addon, int fd) {
  auto it = addon->watchers.find(fd);
  if (it == addon->watchers.end()) return;
  Watcher* w = it->second;
  addon->watchers.erase(it);
#ifndef _WIN32
  // The number now refers to someone else's file: uv_close would
  // epoll_ctl(DEL) it and could unregister another handle's socket. A handle
  // that is not started is in none of libuv's tables, so giving it fd -1
  // makes libuv's close touch nothing (uv__io_stop returns early for -1).
  // A started handle must be stopped through libuv: its DEL is then the
  // only call made on the number.
  if (w->armed == 0) w->poll.io_watcher.fd = -1;
#endif
  Close(addon, w);
}

void TeardownWatchers(Addon* addon) {
  std::vector<int> fds;
  for (auto& kv : addon->watchers) fds.push_back(kv.first);
  for (int fd : fds) StopWatching(addon, fd);
  addon->dirty.clear();
}

// setReadyCallback(onReady): the one function every watcher calls.
static Napi::Value SetReadyCallback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Function fn = ArgFunction(info, 0, "onReady");
  Addon* addon = GetAddon(env);
  if (addon->on_ready != nullptr) napi_delete_reference(env, addon->on_ready);
  addon->on_ready = nullptr;
  if (napi_create_reference(env, fn, 1, &addon->on_ready) != napi_ok) throw Napi::Error::New(env);
  return env.Undefined();
}

void InitWatcher(Napi::Env env, Napi::Object exports) {
  exports.Set("watch", Napi::Function::New(env, Watch, "watch"));
  exports.Set("setReadyCallback", Napi::Function::New(env, SetReadyCallback, "setReadyCallback"));
  exports.Set("READABLE", Napi::Number::New(env, kReadable));
  exports.Set("WRITABLE", Napi::Number::New(env, kWritable));
  exports.Set("PRIORITY", Napi::Number::New(env, kPriority));
  exports.Set("ERROR", Napi::Number::New(env, kError));
  exports.Set("STALE", Napi::Number::New(env, kStale));
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr)
    throw Napi::Error::New(env, "posix-sockets: no event loop for this env");
  GetAddon(env)->loop = loop;
}

}  // namespace ps
