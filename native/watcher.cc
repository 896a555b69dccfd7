// Readiness: the only file that includes uv.h. lib/readiness.ts keeps the
// queues of waiters and says which events it wants with watch(fd, events);
// when fds are ready, the one callback lib/ registered with
// setReadyCallback runs once per batch and retries the waiting calls.
//
// The fds are watched in a private poll set of each env's own — an epoll
// instance on Linux, a kqueue on macOS — and only that set's descriptor is
// given to libuv (one uv_poll_t per env). So:
// - every registration is made here, synchronously, and its error comes
//   back to the caller: libuv never registers a user's fd, and so never
//   abort()s when a number it was given turns out to be a regular file
//   (libuv queues its epoll_ctl to the next loop turn and aborts on failure);
// - libuv's own table of fds never holds ours, so a number closed behind the
//   package's back and reused by a net.Socket works for that socket;
// - a registration belongs to the file (epoll keys it on file and number;
//   kqueue drops it when the number is closed), so a closed fd stops waking
//   anyone, and re-arming a number checks it still refers to the file the
//   waiters were queued for (fstat st_dev/st_ino): a mismatch is ESTALE and
//   lib/ fails the old waiters with EBADF.
// The set costs one extra system call per wake-up (reading it), the price of
// keeping user fds out of libuv.
//
// The one handle keeps the event loop alive while at least one fd is
// registered for a ref'd call: lib/ adds kUnref to an fd's events when every
// call waiting on it was made with { ref: false }, and such an fd is watched
// without holding the loop open (as an unref'd net.Socket is).
//
// Interest reductions made while the callback (and the microtasks it
// triggers) run are only recorded, and applied once it returns: a ping-pong
// whose continuation waits again on the same fd makes no epoll_ctl at all.
#include <fcntl.h>
#include <unistd.h>
#include <uv.h>

#if defined(__linux__)
#include <sys/epoll.h>
#else
// macOS and the BSDs: kqueue.
#include <sys/event.h>
#include <sys/time.h>
#endif

#include "addon.h"

namespace ps {

// Bits shared with lib/readiness.ts.
enum : int { kReadable = 1, kWritable = 2, kPriority = 4, kError = 8, kFailed = 16, kUnref = 32 };
// With kFailed, the bits above 8 carry the errno of a deferred change that
// failed (ESTALE: the number now refers to another file).
static const int kErrnoShift = 8;

// How many (fd, events) pairs one batch may carry: the size of the shared
// Int32Array lib/ hands to setReadyCallback, in pairs.
static const int kBatch = 256;

struct Watcher {
  int fd;
  FileId id;      // the file the number referred to when it was first watched
  int armed = 0;  // events registered in the set now
  int want = 0;   // events lib/ asked for
  bool dirty = false;
  bool ref = true;       // false: every call waiting on it is unref'd (kUnref)
  bool counted = false;  // counted in Poller::refd (armed != 0 && ref)
};

// The env's poll set, watched by libuv through one handle.
struct Poller {
  uv_poll_t handle;
  Addon* addon;
  int fd = -1;         // the epoll/kqueue descriptor
  int registered = 0;  // fds with armed != 0
  int refd = 0;        // of those, the ones with ref: the handle is ref'd while > 0
  // The one registered fd, when exactly one is and it became so by being
  // registered first (Linux; see OnSetReady). Any other change clears it.
  Watcher* sole = nullptr;
  bool started = false;
};

static Poller* PollerOf(Addon* addon) { return static_cast<Poller*>(addon->poller); }

// ---- the platform's poll set: register, change, remove, read.

#if defined(__linux__)
static uint32_t ToEpoll(int events) {
  uint32_t e = 0;
  if (events & kReadable) e |= EPOLLIN;
  if (events & kWritable) e |= EPOLLOUT;
  if (events & kPriority) e |= EPOLLPRI;
  return e;
}

static int SetAdd(int set, int fd, int events) {
  epoll_event e = {};
  e.events = ToEpoll(events);
  e.data.fd = fd;
  return epoll_ctl(set, EPOLL_CTL_ADD, fd, &e) == -1 ? -errno : 0;
}

static int SetChange(int set, int fd, int, int events) {
  epoll_event e = {};
  e.events = ToEpoll(events);
  e.data.fd = fd;
  // ENOENT: the file registered under this number was closed.
  return epoll_ctl(set, EPOLL_CTL_MOD, fd, &e) == -1 ? -errno : 0;
}

// 0, or -errno: ENOENT/EBADF when the number's current file is not in the
// set (the registered one was closed here; if it lives on in another
// process, its registration stays until the set is rebuilt).
static int SetRemove(int set, int fd, int) {
  epoll_event e = {};  // ignored, but kernels before 2.6.9 wanted one
  return epoll_ctl(set, EPOLL_CTL_DEL, fd, &e) == -1 ? -errno : 0;
}

static int CreateSet() { return epoll_create1(EPOLL_CLOEXEC); }

// Reads up to `max` ready fds into out[2i] = fd, out[2i+1] = events.
static int ReadSet(int set, int32_t* out, int max) {
  epoll_event evs[kBatch];
  int n = RetryEintr([&] { return epoll_wait(set, evs, max < kBatch ? max : kBatch, 0); });
  if (n < 0) return 0;
  for (int i = 0; i < n; i++) {
    uint32_t e = evs[i].events;
    int ready = (e & EPOLLIN ? kReadable : 0) | (e & EPOLLOUT ? kWritable : 0) | (e & EPOLLPRI ? kPriority : 0);
    // A hang-up ends reads (0 bytes) and writes (EPIPE): both are answers.
    if (e & EPOLLHUP) ready |= kReadable | kWritable;
    if (e & EPOLLERR) ready |= kReadable | kWritable | kPriority | kError;
    out[2 * i] = evs[i].data.fd;
    out[2 * i + 1] = ready;
  }
  return n;
}
#else
// kqueue keys a registration on the number and drops it when the number is
// closed. It has no POLLPRI: urgent-data and error-queue waits (kPriority)
// use the read filter, so they are woken as readers are and retry.
static int Kevent(int set, int fd, int filter, int flags) {
  struct kevent ch;
  EV_SET(&ch, fd, filter, flags, 0, 0, nullptr);
  return kevent(set, &ch, 1, nullptr, 0, nullptr) == -1 ? -errno : 0;
}

static int Filters(int events) {
  return ((events & (kReadable | kPriority)) ? 1 : 0) | ((events & kWritable) ? 2 : 0);
}

static int SetChange(int set, int fd, int from, int to) {
  int have = Filters(from), want = Filters(to);
  if ((want & 1) && !(have & 1)) {
    int r = Kevent(set, fd, EVFILT_READ, EV_ADD);
    if (r < 0) return r;
  }
  if ((want & 2) && !(have & 2)) {
    int r = Kevent(set, fd, EVFILT_WRITE, EV_ADD);
    if (r < 0) return r;
  }
  if (!(want & 1) && (have & 1)) Kevent(set, fd, EVFILT_READ, EV_DELETE);
  if (!(want & 2) && (have & 2)) Kevent(set, fd, EVFILT_WRITE, EV_DELETE);
  return 0;
}

static int SetAdd(int set, int fd, int events) { return SetChange(set, fd, 0, events); }

// Closing a number drops its knotes (whatever other processes hold), so a
// failure here leaves nothing stale behind.
static int SetRemove(int set, int fd, int from) {
  SetChange(set, fd, from, 0);
  return 0;
}

static int CreateSet() {
  int kq = kqueue();
  if (kq == -1) return -1;
  if (fcntl(kq, F_SETFD, FD_CLOEXEC) == -1) {
    int saved = errno;
    close(kq);
    errno = saved;
    return -1;
  }
  return kq;
}

static int ReadSet(int set, int32_t* out, int max) {
  struct kevent evs[kBatch];
  timespec zero = {0, 0};
  int n = RetryEintr([&] { return kevent(set, nullptr, 0, evs, max < kBatch ? max : kBatch, &zero); });
  if (n < 0) return 0;
  for (int i = 0; i < n; i++) {
    int ready = evs[i].filter == EVFILT_WRITE ? kWritable : kReadable | kPriority;
    // EV_EOF: the peer hung up, or with fflags set, the socket's error.
    if (evs[i].flags & EV_EOF) ready |= kReadable | kWritable | (evs[i].fflags != 0 ? kError : 0);
    if (evs[i].flags & EV_ERROR) ready |= kReadable | kWritable | kPriority | kError;
    out[2 * i] = static_cast<int32_t>(evs[i].ident);
    out[2 * i + 1] = ready;
  }
  return n;
}
#endif

// ---- registrations

// Counts w's registration going from `before` to `after` events (and its
// ref flag, which may have changed with them). The handle keeps the loop
// alive while any fd is registered for a ref'd call, and only then.
static void Account(Poller* p, Watcher* w, int before, int after) {
  if ((before == 0) != (after == 0)) {
    p->registered += after != 0 ? 1 : -1;
    p->sole = p->registered == 1 && after != 0 ? w : nullptr;
  }
  bool keep = after != 0 && w->ref;
  if (keep == w->counted) return;
  w->counted = keep;
  p->refd += keep ? 1 : -1;
  uv_handle_t* h = reinterpret_cast<uv_handle_t*>(&p->handle);
  if (p->refd > 0) uv_ref(h);
  else uv_unref(h);
}

// Makes the set's registration of `w` what lib/ wants: 0 or -errno (ESTALE:
// the number no longer refers to w's file).
static int Apply(Addon* addon, Watcher* w) {
  Poller* p = PollerOf(addon);
  if (w->want == w->armed) return 0;
  int before = w->armed;
  int r = 0;
  if (w->want == 0) {
    SetRemove(p->fd, w->fd, w->armed);
  } else if (w->armed == 0) {
    FileId now;
    r = Identify(w->fd, &now);
    if (r == 0 && now != w->id) r = -ESTALE;
    if (r == 0) r = SetAdd(p->fd, w->fd, w->want);
  } else {
    r = SetChange(p->fd, w->fd, w->armed, w->want);
    if (r < 0) {
      // ENOENT/EBADF (or EPERM for a regular file): the registered file was
      // closed, and the number is gone or another file's.
      FileId now;
      int id = Identify(w->fd, &now);
      if (id < 0) r = id;
      else if (now != w->id) r = -ESTALE;
    }
  }
  if (r < 0) {
    // Nothing is registered for this number now.
    w->armed = 0;
    Account(p, w, before, 0);
    return r;
  }
  w->armed = w->want;
  Account(p, w, before, w->armed);
  return 0;
}

static void Dispatch(Addon* addon, int count);

// Tells lib/ that these fds' registrations failed, as batches of
// (fd, kFailed | errno << 8), however many there are.
static void ReportFailures(Addon* addon, const std::vector<std::pair<int, int>>& failed) {
  if (addon->ready_pairs == nullptr) return;
  size_t i = 0;
  while (i < failed.size()) {
    int n = 0;
    for (; i < failed.size() && n < addon->ready_capacity; i++, n++) {
      addon->ready_pairs[2 * n] = failed[i].first;
      addon->ready_pairs[2 * n + 1] = kFailed | (failed[i].second << kErrnoShift);
    }
    Dispatch(addon, n);
  }
}

// Applies the reductions recorded during a dispatch. One that fails (a
// partial reduction, say POLLIN|POLLOUT to POLLOUT, on a number closed
// behind the package's back) leaves nothing registered for calls still
// waiting: they are told at once, so lib/ fails them rather than leave them
// unwoken.
static void ApplyDirty(Addon* addon) {
  for (int round = 0; round < 8 && !addon->dirty.empty(); round++) {
    std::vector<Watcher*> dirty;
    dirty.swap(addon->dirty);
    std::vector<std::pair<int, int>> failed;
    for (Watcher* d : dirty) {
      if (d == nullptr) continue;
      d->dirty = false;
      int fd = d->fd;
      int r = Apply(addon, d);
      if (r >= 0) continue;
      StopWatching(addon, fd);  // nulls any other entry for d
      failed.emplace_back(fd, -r);
    }
    ReportFailures(addon, failed);
  }
}

// Calls lib/'s onReady(count) with the raw N-API, so that a JS exception, or
// an env that can no longer run JS (a worker being terminated,
// process.exit() in a continuation), never becomes a C++ exception or a
// fatal error here: the program's own exception goes to the
// uncaught-exception machinery (which, in a worker, ends that worker), and
// a terminating env's is dropped.
static void Dispatch(Addon* addon, int count) {
  if (addon->on_ready == nullptr || addon->tearing_down) return;
  napi_env env = addon->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb = nullptr, recv, argv[1];
  if (napi_get_reference_value(env, addon->on_ready, &cb) == napi_ok && cb != nullptr &&
      napi_get_global(env, &recv) == napi_ok && napi_create_int32(env, count, &argv[0]) == napi_ok) {
    addon->dispatching = true;
    napi_status s = napi_make_callback(env, nullptr, recv, cb, 1, argv, nullptr);
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

static void RebuildSet(Addon* addon);

static void OnSetReady(uv_poll_t* handle, int status, int) {
  auto* p = static_cast<Poller*>(handle->data);
  Addon* addon = p->addon;
  if (status < 0 || addon->tearing_down || addon->ready_pairs == nullptr) return;
  int n;
#if defined(__linux__)
  if (p->sole != nullptr && p->registered == 1 && p->sole->armed != 0) {
    // One fd registered: the set is readable only while that fd is ready
    // (polling an epoll fd re-checks its level-triggered items and drops
    // those no longer ready), so it is that fd, for the events it is
    // registered for; the calls find out which with EAGAIN. This saves
    // reading the set — one system call per wake-up — for the common
    // program that waits on one fd at a time. Not on kqueue: a kqueue keeps
    // an event queued until it is read, so it would stay readable.
    addon->ready_pairs[0] = p->sole->fd;
    addon->ready_pairs[1] = p->sole->armed;
    n = 1;
  } else {
    n = ReadSet(p->fd, addon->ready_pairs, addon->ready_capacity);
  }
#else
  n = ReadSet(p->fd, addon->ready_pairs, addon->ready_capacity);
#endif
  int kept = 0;
  bool stale = false;
  for (int i = 0; i < n; i++) {
    int fd = addon->ready_pairs[2 * i];
    auto it = addon->watchers.find(fd);
    if (it == addon->watchers.end() || it->second->armed == 0) {
      // A registration lib/ no longer wants. If it cannot be removed, it is
      // a file closed here behind the package's back that lives on in
      // another process (a child's stdio): epoll keeps it, ready forever,
      // under a number that no longer reaches it. Only a new set drops it.
      if (SetRemove(p->fd, fd, kReadable | kWritable | kPriority) < 0) stale = true;
      continue;
    }
    addon->ready_pairs[2 * kept] = fd;
    addon->ready_pairs[2 * kept + 1] = addon->ready_pairs[2 * i + 1];
    kept++;
  }
  if (kept > 0) Dispatch(addon, kept);
  ApplyDirty(addon);
  if (stale && !addon->tearing_down && PollerOf(addon) == p) RebuildSet(addon);
}

static int StartPoller(Addon* addon) {
  Poller* p = PollerOf(addon);
  if (p != nullptr) return 0;
  int set = CreateSet();
  if (set == -1) return -errno;
  p = new Poller();
  p->addon = addon;
  p->fd = set;
  int r = uv_poll_init(static_cast<uv_loop_t*>(addon->loop), &p->handle, set);
  if (r == 0) {
    p->handle.data = p;
    r = uv_poll_start(&p->handle, UV_READABLE, OnSetReady);
    if (r != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&p->handle), [](uv_handle_t* h) {
        auto* q = static_cast<Poller*>(h->data);
        close(q->fd);
        delete q;
      });
      return r;
    }
  }
  if (r < 0) {
    close(set);
    delete p;
    return r;
  }
  p->started = true;
  uv_unref(reinterpret_cast<uv_handle_t*>(&p->handle));  // ref'd while fds are registered for ref'd calls
  addon->poller = p;
  return 0;
}

static void OnPollerClosed(uv_handle_t* handle);

// Moves every registration to a new set and closes the old one, the only
// way to drop a registration whose file this process no longer has a
// number for. Each fd is checked to still be the file it was registered
// as; one that is not (or cannot be added) is reported failed.
static void RebuildSet(Addon* addon) {
  Poller* old = PollerOf(addon);
  addon->poller = nullptr;
  if (StartPoller(addon) < 0) {
    addon->poller = old;  // keep the old set: still correct, only busier
    return;
  }
  Poller* p = PollerOf(addon);
  std::vector<std::pair<int, int>> failed;
  std::vector<int> gone;
  for (auto& kv : addon->watchers) {
    Watcher* w = kv.second;
    if (w->armed == 0) continue;
    int events = w->armed;
    w->armed = 0;
    w->counted = false;  // counted in the old set's handle, which closes
    FileId now;
    int r = Identify(w->fd, &now);
    if (r == 0 && now != w->id) r = -ESTALE;
    if (r == 0) r = SetAdd(p->fd, w->fd, events);
    if (r < 0) {
      failed.emplace_back(w->fd, -r);
      gone.push_back(w->fd);
      continue;
    }
    w->armed = events;
    Account(p, w, 0, events);
  }
  for (int fd : gone) StopWatching(addon, fd);
  old->sole = nullptr;
  addon->closing_handles++;
  uv_close(reinterpret_cast<uv_handle_t*>(&old->handle), OnPollerClosed);
  ReportFailures(addon, failed);
}

// watch(fd, events) -> 0, or -errno. `events` may carry kUnref: the calls
// waiting on fd are all unref'd, and it does not keep the loop alive. EBADF
// when the fd is closed, ESTALE when the number now refers to another file
// than the one its earlier waiters were queued for (lib/ fails those waiters
// and may watch again), EPERM for a file the set cannot watch (a regular
// file). While a readiness callback runs, reductions are applied once it
// returns.
static Napi::Value Watch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  int events = ArgInt(info, 1, "events");
  if (events & ~(kReadable | kWritable | kPriority | kUnref))
    ThrowRange(env, "events must be a mask of 1 (readable), 2 (writable), 4 (priority) and 32 (unref)");
  bool ref = (events & kUnref) == 0;
  events &= ~kUnref;
  Addon* addon = GetAddon(env);
  auto it = addon->watchers.find(fd);
  Watcher* w;
  if (it != addon->watchers.end()) {
    w = it->second;
  } else {
    if (events == 0) return Napi::Number::New(env, 0);
    int r = StartPoller(addon);
    if (r < 0) return Napi::Number::New(env, r);
    FileId id;
    r = Identify(fd, &id);
    if (r < 0) return Napi::Number::New(env, r);
    w = new Watcher();
    w->fd = fd;
    w->id = id;
    addon->watchers.emplace(fd, w);
  }
  w->want = events;
  w->ref = ref;
  if (!addon->dispatching || (events & ~w->armed) != 0) {
    int r = Apply(addon, w);
    // ESTALE: forget the old file; a later watch starts afresh with the new one.
    if (r == -ESTALE) StopWatching(addon, fd);
    if (r < 0) return Napi::Number::New(env, r);
  } else if (!w->dirty) {
    w->dirty = true;
    addon->dirty.push_back(w);
  }
  // A change of ref alone (or one made while a reduction is deferred)
  // changes no registration: count it now.
  Account(PollerOf(addon), w, w->armed, w->armed);
  return Napi::Number::New(env, 0);
}

// check(fd) -> 0 while fd still refers to the file it was first watched as,
// -ESTALE (the watcher is dropped) or -EBADF otherwise. lib/ asks when a
// call joins others already waiting, whose wake-up may never come if their
// file was closed behind the package's back.
static Napi::Value Check(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  Addon* addon = GetAddon(env);
  auto it = addon->watchers.find(fd);
  if (it == addon->watchers.end()) return Napi::Number::New(env, 0);
  FileId now;
  int r = Identify(fd, &now);
  if (r == 0 && now == it->second->id) return Napi::Number::New(env, 0);
  StopWatching(addon, fd);
  return Napi::Number::New(env, r < 0 ? r : -ESTALE);
}

void StopWatching(Addon* addon, int fd) {
  auto it = addon->watchers.find(fd);
  if (it == addon->watchers.end()) return;
  Watcher* w = it->second;
  addon->watchers.erase(it);
  if (w->armed != 0) {
    // Removing by number acts on the number's current file, and the set
    // holds that file only if this watcher registered it: if the number now
    // refers to another file, the call fails harmlessly (ENOENT). So no
    // identity check is needed here.
    SetRemove(PollerOf(addon)->fd, fd, w->armed);
    Account(PollerOf(addon), w, w->armed, 0);
  }
  for (auto& d : addon->dirty)
    if (d == w) d = nullptr;
  delete w;
}


static void OnPollerClosed(uv_handle_t* handle) {
  auto* p = static_cast<Poller*>(handle->data);
  Addon* addon = p->addon;
  close(p->fd);  // drops every registration in the set
  delete p;
  if (--addon->closing_handles == 0 && addon->tearing_down) FinishTeardown(addon);
}

void TeardownWatchers(Addon* addon) {
  for (auto& kv : addon->watchers) delete kv.second;
  addon->watchers.clear();
  if (PollerOf(addon) != nullptr) PollerOf(addon)->sole = nullptr;
  addon->dirty.clear();
  Poller* p = PollerOf(addon);
  if (p == nullptr) return;
  addon->poller = nullptr;
  addon->closing_handles++;
  uv_close(reinterpret_cast<uv_handle_t*>(&p->handle), OnPollerClosed);
}

// setReadyCallback(onReady, pairs: Int32Array): the one function every
// batch of ready fds calls, as onReady(count) with pairs[2i] = fd and
// pairs[2i + 1] = events.
static Napi::Value SetReadyCallback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Function fn = ArgFunction(info, 0, "onReady");
  Bytes pairs = ArgBytes(info, 1, "pairs");
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      pairs.length < 2 * sizeof(int32_t))
    ThrowType(env, "pairs must be an Int32Array of at least 2 elements");
  Addon* addon = GetAddon(env);
  if (addon->on_ready != nullptr) napi_delete_reference(env, addon->on_ready);
  if (addon->pairs_ref != nullptr) napi_delete_reference(env, addon->pairs_ref);
  addon->on_ready = nullptr;
  addon->pairs_ref = nullptr;
  addon->ready_pairs = nullptr;
  if (napi_create_reference(env, fn, 1, &addon->on_ready) != napi_ok ||
      napi_create_reference(env, info[1], 1, &addon->pairs_ref) != napi_ok)
    throw Napi::Error::New(env, "posix-sockets: could not keep the readiness callback");
  // Kept alive by pairs_ref; an Int32Array lib/ never transfers.
  addon->ready_pairs = reinterpret_cast<int32_t*>(pairs.data);
  size_t cap = pairs.length / (2 * sizeof(int32_t));
  addon->ready_capacity = static_cast<int>(cap < kBatch ? cap : kBatch);
  return env.Undefined();
}

void InitWatcher(Napi::Env env, Napi::Object exports) {
  exports.Set("watch", Napi::Function::New(env, Watch, "watch"));
  exports.Set("check", Napi::Function::New(env, Check, "check"));
  exports.Set("setReadyCallback", Napi::Function::New(env, SetReadyCallback, "setReadyCallback"));
  exports.Set("READABLE", Napi::Number::New(env, kReadable));
  exports.Set("WRITABLE", Napi::Number::New(env, kWritable));
  exports.Set("PRIORITY", Napi::Number::New(env, kPriority));
  exports.Set("ERROR", Napi::Number::New(env, kError));
  exports.Set("FAILED", Napi::Number::New(env, kFailed));
  exports.Set("UNREF", Napi::Number::New(env, kUnref));
  exports.Set("READY_BATCH", Napi::Number::New(env, kBatch));
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr)
    throw Napi::Error::New(env, "posix-sockets: no event loop for this env");
  GetAddon(env)->loop = loop;
}

}  // namespace ps
