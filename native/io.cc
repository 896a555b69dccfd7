// Moving data: send, recv, sendto, recvfrom, read, write, always into or out of a buffer
// the caller owns (lib/ keeps a reference to it for the whole call). The
// promise versions in lib/io.ts pass MSG_DONTWAIT so the fd's own flags are
// never touched; the ...Sync versions pass the caller's flags unchanged, and
// a socket timeout (SO_RCVTIMEO/SO_SNDTIMEO) bounds them across signals
// (RetryEintrTimed in addon.h).
#include "addon.h"
#include "sockaddr.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ps {

// Linux: MSG_NOSIGNAL turns SIGPIPE into EPIPE per call. macOS has no such
// flag; fd.cc sets SO_NOSIGPIPE on every socket it creates instead.
#ifdef MSG_NOSIGNAL
static const int kNoSignal = MSG_NOSIGNAL;
#else
static const int kNoSignal = 0;
#endif

// send(fd, data, flags) -> bytes sent or -errno.
static Napi::Value Send(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Bytes data = ArgBytes(info, 1, "data");
  int flags = ArgInt(info, 2, "flags");
  ssize_t r = RetryEintrTimed(fd, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool nb) {
    return send(fd, data.data, data.length, flags | kNoSignal | (nb ? MSG_DONTWAIT : 0));
  });
  return Napi::Number::New(info.Env(), Result(r));
}

// recv(fd, buffer, flags) -> bytes received (0 = orderly shutdown) or -errno.
static Napi::Value Recv(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Bytes buf = ArgBytes(info, 1, "buffer");
  int flags = ArgInt(info, 2, "flags");
  ssize_t r = RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN,
                              [&](bool nb) { return recv(fd, buf.data, buf.length, flags | (nb ? MSG_DONTWAIT : 0)); });
  return Napi::Number::New(info.Env(), Result(r));
}

// sendto(fd, data, flags, addr) -> bytes sent or -errno.
static Napi::Value Sendto(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int flags = ArgInt(info, 2, "flags");
  // The address first: reading an address object runs its getters, which
  // could detach `data` (and free its memory) after its pointer was taken.
  sockaddr_storage ss;
  socklen_t len = ArgSockaddr(info, 3, &ss);
  Bytes data = ArgBytes(info, 1, "data");
  ssize_t r = RetryEintrTimed(fd, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool nb) {
    return sendto(fd, data.data, data.length, flags | kNoSignal | (nb ? MSG_DONTWAIT : 0),
                  reinterpret_cast<sockaddr*>(&ss), len);
  });
  return Napi::Number::New(info.Env(), Result(r));
}

// recvfrom(fd, buffer, flags, name) -> bytes received or -errno; the
// sender's address goes to `name` (sockaddr.h's ToNameBuffer: length 0 when
// the kernel gives none, as on a connected stream socket). With MSG_TRUNC
// (Linux) the result is the datagram's real length, which may exceed the
// buffer.
static Napi::Value Recvfrom(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Bytes buf = ArgBytes(info, 1, "buffer");
  int flags = ArgInt(info, 2, "flags");
  Bytes name = ArgNameBuffer(info, 3);
  sockaddr_storage ss;
  socklen_t len;
  ssize_t r = RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN, [&](bool nb) {
    len = sizeof ss;
    return recvfrom(fd, buf.data, buf.length, flags | (nb ? MSG_DONTWAIT : 0), reinterpret_cast<sockaddr*>(&ss), &len);
  });
  if (r >= 0) ToNameBuffer(name, &ss, len);
  return Napi::Number::New(info.Env(), Result(r));
}

// read(fd, buffer) -> bytes read (0 = end of file) or -errno. read(2) has no
// per-call flag: lib/ makes a blocking fd non-blocking for a promise call's
// try, as for accept. Any fd, not only sockets (a pipe, a file).
static Napi::Value Read(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Bytes buf = ArgBytes(info, 1, "buffer");
  ssize_t r = RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN, [&](bool) { return read(fd, buf.data, buf.length); });
  return Napi::Number::New(info.Env(), Result(r));
}

// write(fd, data) -> bytes written or -errno. No MSG_NOSIGNAL here: Node
// ignores SIGPIPE, so a closed peer is EPIPE (and SO_NOSIGPIPE on macOS).
static Napi::Value Write(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Bytes data = ArgBytes(info, 1, "data");
  ssize_t r = RetryEintrTimed(fd, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool) { return write(fd, data.data, data.length); });
  return Napi::Number::New(info.Env(), Result(r));
}

void InitIo(Napi::Env env, Napi::Object exports) {
  exports.Set("read", Napi::Function::New(env, Read, "read"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("recv", Napi::Function::New(env, Recv, "recv"));
  exports.Set("sendto", Napi::Function::New(env, Sendto, "sendto"));
  exports.Set("recvfrom", Napi::Function::New(env, Recvfrom, "recvfrom"));
}

}  // namespace ps
