// The socket calls that neither create descriptors nor move data: bind,
// listen, connect, shutdown, getsockname, getpeername, setsockopt,
// getsockopt, ioctl (integer-result requests only), sockatmark. Each is one system call returning its result or -errno.
#include "addon.h"
#include "sockaddr.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/sockios.h>  // SIOCINQ, SIOCOUTQ, SIOCOUTQNSD: Linux only
#endif

namespace ps {

// bind(fd, addr) -> 0 or -errno.
static Napi::Value Bind(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  sockaddr_storage ss;
  socklen_t len = ArgSockaddr(info, 1, &ss);
  int r = bind(fd, reinterpret_cast<sockaddr*>(&ss), len);
  return Napi::Number::New(info.Env(), Result(r));
}

// listen(fd, backlog) -> 0 or -errno.
static Napi::Value Listen(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int backlog = ArgInt(info, 1, "backlog");
  return Napi::Number::New(info.Env(), Result(listen(fd, backlog)));
}

// connect(fd, addr) -> 0 or -errno. A blocking connect interrupted by a
// signal is not called again: the handshake carries on in the kernel and a
// second connect() would answer EALREADY. As PEP 475 does, it waits for
// writability (with what is left of SO_SNDTIMEO, if set: then EINPROGRESS,
// as the kernel answers when that timer runs out) and reads SO_ERROR.
static Napi::Value Connect(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  sockaddr_storage ss;
  socklen_t len = ArgSockaddr(info, 1, &ss);
  Deadline d = StartDeadline();
  int r = connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
  if (r == -1 && errno == EINTR) {
    int w = WaitRemaining(fd, SO_SNDTIMEO, POLLOUT, d);
    if (w == 0) {
      errno = EINPROGRESS;
      r = -1;
    } else if (w == 1) {
      int err = 0;
      socklen_t n = sizeof err;
      r = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &n);
      if (r == 0 && err != 0) {
        errno = err;
        r = -1;
      }
    } else {
      r = -1;
    }
  }
  return Napi::Number::New(info.Env(), Result(r));
}

// shutdown(fd, how) -> 0 or -errno.
static Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int how = ArgInt(info, 1, "how");
  return Napi::Number::New(info.Env(), Result(shutdown(fd, how)));
}

template <int (*Get)(int, sockaddr*, socklen_t*)>
static Napi::Value GetName(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Napi::Object out = ArgObject(info, 1, "out");
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int r = Get(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (r == 0) FromSockaddr(info.Env(), out, &ss, len);
  return Napi::Number::New(info.Env(), Result(r));
}

// setsockopt(fd, level, name, value: bytes) -> 0 or -errno. lib/ turns
// numbers and booleans into a C int.
static Napi::Value Setsockopt(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  Bytes value = ArgBytes(info, 3, "value");
  int r = setsockopt(fd, level, name, value.data, static_cast<socklen_t>(value.length));
  return Napi::Number::New(info.Env(), Result(r));
}

// getsockopt(fd, level, name, out: bytes) -> the option's length or -errno;
// the value is written into `out`.
static Napi::Value Getsockopt(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int level = ArgInt(info, 1, "level");
  int name = ArgInt(info, 2, "name");
  Bytes out = ArgBytes(info, 3, "out");
  socklen_t len = static_cast<socklen_t>(out.length);
  int r = getsockopt(fd, level, name, out.data, &len);
  return Napi::Number::New(info.Env(), r == -1 ? -errno : static_cast<int>(len));
}

// The ioctl requests whose argument is a pointer to one int the kernel
// fills: nothing else is passed through, so no caller can hand the kernel a
// request that reads or writes through a pointer of its choosing.
static bool IntResultRequest(unsigned long request) {
  if (request == FIONREAD) return true;
#ifdef SIOCINQ  // Linux; the same number as FIONREAD there
  if (request == SIOCINQ) return true;
#endif
#ifdef SIOCOUTQ  // Linux: bytes not yet sent, or not yet acknowledged (TCP)
  if (request == SIOCOUTQ) return true;
#endif
#ifdef SIOCOUTQNSD  // Linux: TCP bytes not yet sent
  if (request == SIOCOUTQNSD) return true;
#endif
#ifdef FIONWRITE  // macOS: bytes in the send buffer
  if (request == FIONWRITE) return true;
#endif
#ifdef FIONSPACE  // macOS: free space in the send buffer
  if (request == FIONSPACE) return true;
#endif
  return false;
}

// ioctl(fd, request) -> the int the kernel wrote, or -errno.
static Napi::Value Ioctl(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  unsigned long request = ArgUint32(info, 1, "request");
  if (!IntResultRequest(request))
    ThrowRange(info.Env(), "ioctl request %lu is not supported (FIONREAD, SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, FIONWRITE, FIONSPACE are, where defined)", request);
  int value = 0;
  int r = RetryEintr([&] { return ioctl(fd, request, &value); });
  return Napi::Number::New(info.Env(), r == -1 ? -errno : value);
}

// sockatmark(fd) -> 1 at the urgent-data mark, 0 elsewhere, or -errno. The
// C library's sockatmark(3): ioctl(fd, SIOCATMARK) on both Linux and macOS.
static Napi::Value Sockatmark(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int r = RetryEintr([&] { return sockatmark(fd); });
  return Napi::Number::New(info.Env(), Result(r));
}

void InitCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("listen", Napi::Function::New(env, Listen, "listen"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("getsockname", Napi::Function::New(env, GetName<getsockname>, "getsockname"));
  exports.Set("getpeername", Napi::Function::New(env, GetName<getpeername>, "getpeername"));
  exports.Set("setsockopt", Napi::Function::New(env, Setsockopt, "setsockopt"));
  exports.Set("getsockopt", Napi::Function::New(env, Getsockopt, "getsockopt"));
  exports.Set("ioctl", Napi::Function::New(env, Ioctl, "ioctl"));
  exports.Set("sockatmark", Napi::Function::New(env, Sockatmark, "sockatmark"));
}

}  // namespace ps
