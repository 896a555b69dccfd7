// Readiness: the only file that includes uv.h. One uv_poll_t per fd, made on
// the fd's first wait and kept until close/release; lib/readiness.ts keeps
// the FIFO queues of waiters and says which events it wants with
// watch(fd, events, onReady). When the fd is ready, onReady(fd, events) runs
// and retries the waiting calls.
//
// uv_poll_start always does epoll_ctl DEL then ADD, and uv_poll_stop a DEL,
// so interest changes made while onReady (and the microtasks it triggers)
// run are only recorded, and applied once it returns: a ping-pong whose
// continuation waits again on the same fd leaves the poll handle armed and
// makes no epoll_ctl at all.
#include <fcntl.h>
#include <uv.h>

#include "addon.h"

namespace ps {

// Bits shared with lib/readiness.ts.
enum : int { kReadable = 1, kWritable = 2, kError = 4 };

struct Watcher {
  uv_poll_t poll;
  Addon* addon;
  int fd;
  int armed = 0;  // events uv_poll is started with now
  int want = 0;   // events lib/ asked for
  bool dirty = false;
  bool closing = false;
  Napi::FunctionReference on_ready;
};

static void OnClosed(uv_handle_t* handle) {
  auto* w = static_cast<Watcher*>(handle->data);
  Addon* addon = w->addon;
  delete w;
  if (--addon->closing_handles == 0 && addon->tearing_down) FinishTeardown(addon);
}

static int ToUv(int events) {
  return (events & kReadable ? UV_READABLE : 0) | (events & kWritable ? UV_WRITABLE : 0);
}

static void OnPoll(uv_poll_t* handle, int status, int events);

static void Apply(Watcher* w) {
  w->dirty = false;
  if (w->closing || w->want == w->armed) return;
  if (w->want == 0) {
    uv_poll_stop(&w->poll);
  } else {
    uv_poll_start(&w->poll, ToUv(w->want), OnPoll);
  }
  w->armed = w->want;
}

static void OnPoll(uv_poll_t* handle, int status, int events) {
  auto* w = static_cast<Watcher*>(handle->data);
  Addon* addon = w->addon;
  int ready = (events & UV_READABLE ? kReadable : 0) | (events & UV_WRITABLE ? kWritable : 0);
  if (status < 0) {
    // POLLERR: libuv has stopped the handle and reports UV_EBADF with no
    // events. Every waiter retries its call, which returns the real error
    // (ECONNREFUSED, ECONNRESET...) or EAGAIN, in which case it is re-armed.
    w->armed = 0;
    ready = kReadable | kWritable | kError;
  }
  Napi::Env env = w->on_ready.Env();
  Napi::HandleScope scope(env);
  addon->dispatching = true;
  try {
    w->on_ready.MakeCallback(env.Global(), {Napi::Number::New(env, w->fd), Napi::Number::New(env, ready)});
  } catch (const Napi::Error& e) {
    // An exception escaping onReady is the program's uncaught exception. An
    // empty one means JS cannot run any more (a worker being terminated).
    if (!e.Value().IsEmpty() && !addon->tearing_down) napi_fatal_exception(env, e.Value());
  }
  addon->dispatching = false;
  // `w` may be closing now (closed from JS), but uv_close defers its free.
  std::vector<Watcher*> dirty;
  dirty.swap(addon->dirty);
  for (Watcher* d : dirty) Apply(d);
}

// watch(fd, events, onReady) -> the events the fd's poll handle is armed for
// now, or -errno (EEXIST when the loop already polls this fd for someone
// else, such as a net.Socket; EPERM for a regular file, which epoll cannot
// watch).
static Napi::Value Watch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  int events = ArgInt(info, 1, "events");
  if (events & ~(kReadable | kWritable)) ThrowRange(env, "events must be a mask of 1 (readable) and 2 (writable)");
  Addon* addon = GetAddon(env);
  auto it = addon->watchers.find(fd);
  Watcher* w;
  if (it != addon->watchers.end()) {
    w = it->second;
  } else {
    if (events == 0) return Napi::Number::New(env, 0);
    if (!info[2].IsFunction()) ThrowType(env, "onReady must be a function");
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1) return Napi::Number::New(env, -errno);
    w = new Watcher();
    int r = uv_poll_init_socket(static_cast<uv_loop_t*>(addon->loop), &w->poll, fd);
    if (r < 0) {
      delete w;
      return Napi::Number::New(env, r);  // libuv's codes are -errno on unix
    }
    // uv_poll_init switched the fd to O_NONBLOCK; put back what the user
    // chose, so a blocking fd stays blocking for its ...Sync calls and for
    // anyone checking F_GETFL. uv_poll only polls: it never reads the flag.
    if (!(flags & O_NONBLOCK)) fcntl(fd, F_SETFL, flags);
    w->poll.data = w;
    w->addon = addon;
    w->fd = fd;
    w->on_ready = Napi::Persistent(info[2].As<Napi::Function>());
    addon->watchers.emplace(fd, w);
  }
  w->want = events;
  if (!addon->dispatching) {
    Apply(w);
  } else if (!w->dirty) {
    w->dirty = true;
    addon->dirty.push_back(w);
  }
  // What the poll handle is armed for now: while a readiness callback runs,
  // changes wait until it returns, so this can still include events just
  // given up.
  return Napi::Number::New(env, w->armed);
}

void StopWatching(Addon* addon, int fd) {
  auto it = addon->watchers.find(fd);
  if (it == addon->watchers.end()) return;
  Watcher* w = it->second;
  addon->watchers.erase(it);
  w->closing = true;
  w->on_ready.Reset();
  addon->closing_handles++;
  // uv_close stops the poll (epoll_ctl DEL) now and frees `w` in OnClosed.
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
}

void TeardownWatchers(Addon* addon) {
  std::vector<int> fds;
  for (auto& kv : addon->watchers) fds.push_back(kv.first);
  for (int fd : fds) StopWatching(addon, fd);
  addon->dirty.clear();
}

void InitWatcher(Napi::Env env, Napi::Object exports) {
  exports.Set("watch", Napi::Function::New(env, Watch, "watch"));
  exports.Set("READABLE", Napi::Number::New(env, kReadable));
  exports.Set("WRITABLE", Napi::Number::New(env, kWritable));
  exports.Set("ERROR", Napi::Number::New(env, kError));
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  GetAddon(env)->loop = loop;
}

}  // namespace ps
